using System.Text;
using GradientNode.Core.Common;
using Microsoft.Extensions.Logging;

namespace GradientNode.Core.Catalog;

/// <summary>
/// Keeps a <see cref="SpecCatalog"/> in step with the spec directory: a file watcher (debounced) plus a periodic
/// rescan. Only <c>*.yaml</c>/<c>*.yml</c> count; dotfiles and editors' temp files are ignored. The last good text
/// of each file is kept under <c>&lt;state-dir&gt;/last-good/</c> (0600) so a file broken while the daemon was
/// down still keeps its deployment running. When the watcher cannot start (the inotify instance or watch limit,
/// <c>fs.inotify.max_user_instances</c> / <c>max_user_watches</c>, is reached) the rescan alone keeps the catalog in
/// step, a warning is logged once and shown in <see cref="Warnings"/> (the node report).
/// </summary>
public sealed partial class SpecDirectoryWatcher(string specsDir, string stateDir, TimeProvider time, ILogger<SpecDirectoryWatcher> logger)
{
    private readonly SpecCatalog _catalog = new(SpecOwnersFile.Load(stateDir, new StateFileDamage(time, logger)));
    private IReadOnlyList<string> _savedOwners = [];
    private readonly SemaphoreSlim _scanLock = new(1, 1);

    /// <summary>File events since the loop last looked; drained all at once, however many arrived.</summary>
    private int _pending;

    /// <summary>Completed by the next file event; replaced once the loop has seen it complete.</summary>
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _scans;
    private long _fileReads;

    /// <summary>
    /// What each file looked like (mtime, birth time, size) when it was last read and when that was; a quiet rescan
    /// trusts these instead of reading the file again (<see cref="FileStamp"/>).
    /// </summary>
    private readonly Dictionary<string, FileStamp> _stamps = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _firstScan = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IReadOnlyDictionary<string, CatalogEntry> _entries = new Dictionary<string, CatalogEntry>();
    private volatile string? _watchProblem;

    public string SpecsDir { get; } = Path.GetFullPath(specsDir);

    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A burst of events is read once this long after its last event (an editor's save dance, a rename)...</summary>
    public static TimeSpan Quiet { get; } = TimeSpan.FromMilliseconds(200);

    /// <summary>...but never later than this after its first: a steady stream of writes does not postpone the scan.</summary>
    public static TimeSpan MaxDelay { get; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The watch loop acts on a file only once its size and times have held this long (<see cref="SettleTracker"/>): a
    /// spec written in pieces is not read half-way. A file still changing is kept at what was read before and looked at
    /// again after this interval. API writes (atomic) and <see cref="ScanAsync(CancellationToken)"/> do not wait.
    /// </summary>
    public TimeSpan Settle { get; init; } = DefaultSettle;

    public static TimeSpan DefaultSettle { get; } = TimeSpan.FromMilliseconds(400);

    private SettleTracker? _settleTracker;

    private SettleTracker Settling => _settleTracker ??= new SettleTracker(time, Settle);

    /// <summary>How many times the directory was read (the idle-cost tests count them).</summary>
    internal long Scans => Interlocked.Read(ref _scans);

    /// <summary>How many spec files were read (the idle-cost tests count them: a quiet rescan reads none).</summary>
    internal long FileReads => Interlocked.Read(ref _fileReads);

    /// <summary>File events not yet taken by the watch loop (tests wait for 0 before they move a fake clock).</summary>
    internal int PendingEvents => Volatile.Read(ref _pending);

    /// <summary>Starts watching a directory, calling back on every event; a seam for the watcher failing to start.</summary>
    internal Func<string, Action, IDisposable> StartWatching { get; init; } = Watch;

    /// <summary>
    /// Problems the node report shows: the directory is not watched (changes wait for the next rescan), spec files that
    /// cannot be read (a dangling or looping link, permissions), a state directory that cannot be written.
    /// </summary>
    public IReadOnlyList<string> Warnings =>
        [.. (_watchProblem is { } watch ? [watch] : Array.Empty<string>()), .. (_folderMissing is { } missing ? [missing] : Array.Empty<string>()), .. _unreadableWarnings, .. (_stateProblems.Current is { } state ? [state] : Array.Empty<string>())];

    /// <summary>The current desired deployments by slug.</summary>
    public IReadOnlyDictionary<string, CatalogEntry> Entries => Volatile.Read(ref _entries);

    /// <summary>Completes once the directory has been read once (nothing may be reaped before).</summary>
    public Task FirstScan => _firstScan.Task;

    /// <summary>Raised with the slugs whose entry changed (added, edited, removed).</summary>
    public event Action<IReadOnlySet<string>>? Changed;

    private string LastGoodDir => Path.Combine(stateDir, SpecCatalog.LastGoodFolder);

    public static bool IsSpecFile(string path)
    {
        var name = Path.GetFileName(path);
        if (name.Length == 0 || name[0] is '.' or '#' || name.EndsWith('~'))
        {
            return false;
        }

        var extension = Path.GetExtension(name);
        return extension.Equals(".yaml", StringComparison.OrdinalIgnoreCase) || extension.Equals(".yml", StringComparison.OrdinalIgnoreCase);
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _ = TryCreateDirectory();
        var watcher = Rewatch(null);
        try
        {
            // The first scan takes the files as they are, as before: the daemon starts with the specs it was given (a file
            // being written as it starts is read again at the next event), and nothing waits for READY=1.
            await ScanSafelyAsync(quick: false, cancellationToken, settle: false).ConfigureAwait(false);
            while (true)
            {
                watcher = Rewatch(watcher); // the folder made again, a link pointed elsewhere, a mount over it
                // Ends the way every cancelled wait does, whichever step the cancellation found the loop in.
                cancellationToken.ThrowIfCancellationRequested();
                // A file seen still changing, or missing for a moment, is looked at again once it may have settled, not at the next 2 s rescan.
                var evented = await WaitForEventsAsync((Settling.Pending > 0 || _absentSince.Count > 0) && Settle < ResyncPeriod ? Settle : ResyncPeriod, cancellationToken).ConfigureAwait(false);
                if (evented)
                {
                    // Let the burst settle (Quiet after its last event), bounded by MaxDelay after its first; all the events
                    // pending at each wake count as one, so 150 events cost one quiet period, not 150.
                    var deadline = time.After(MaxDelay); // monotonic, as every wait here
                    bool more;
                    do
                    {
                        var left = time.Until(deadline);
                        more = left > TimeSpan.Zero && await WaitForEventsAsync(left < Quiet ? left : Quiet, cancellationToken).ConfigureAwait(false);
                    }
                    while (more);
                }

                // After file events every file is read; the quiet periodic rescan reads only files whose stamp moved.
                await ScanSafelyAsync(quick: !evented, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            watcher?.Dispose();
        }
    }

    /// <summary>True as soon as any file event is pending (all of them are drained), false after <paramref name="timeout"/> without one.</summary>
    private async Task<bool> WaitForEventsAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        // Monotonic: with the wall clock, a step back of an hour stopped the 2 s rescan for an hour.
        var deadline = time.After(timeout);
        while (true)
        {
            var wake = Volatile.Read(ref _wake);
            if (Interlocked.Exchange(ref _pending, 0) > 0)
            {
                return true;
            }

            var left = time.Until(deadline);
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            try
            {
                await wake.Task.WaitAsync(left, time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return false;
            }

            // Completed: the next event completes a fresh one (an event that raced the swap is in _pending already).
            Interlocked.CompareExchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), wake);
        }
    }

    /// <summary>
    /// A scan that never ends the watch loop: a fault of any type is logged and the next rescan tries again. A failed first
    /// scan does not count as the first scan (an empty catalog would read as "every deployment was deleted").
    /// </summary>
    private async Task ScanSafelyAsync(bool quick, CancellationToken cancellationToken, bool settle = true)
    {
        try
        {
            await ScanAsync(quick, cancellationToken, settle).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogScanFailed(SpecsDir, ex.GetType().Name, ex.Message, ResyncPeriod.TotalSeconds);
        }
    }

    private bool TryCreateDirectory()
    {
        try
        {
            Directory.CreateDirectory(SpecsDir);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogScanFailed(SpecsDir, ex.GetType().Name, ex.Message, ResyncPeriod.TotalSeconds);
            return false;
        }
    }

    /// <summary>Reads the directory now (every file) and publishes any change.</summary>
    public Task ScanAsync(CancellationToken cancellationToken) => ScanAsync(quick: false, cancellationToken);

    /// <summary>
    /// Reads the directory and publishes any change; <paramref name="quick"/> (the periodic rescan with no file event) reads
    /// only the files whose stamp changed or that were read while they could still change unseen (issue 20, idle cost).
    /// </summary>
    /// <param name="settle">The watch loop's scans: a file that has not settled (<see cref="Settle"/>) keeps what was read of it before.</param>
    internal async Task ScanAsync(bool quick, CancellationToken cancellationToken, bool settle = false)
    {
        await _scanLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlySet<string> changed;
        try
        {
            Interlocked.Increment(ref _scans);
            if (FolderMissing())
            {
                return; // unknown, not empty: nothing published, nothing saved
            }

            var files = await ReadFilesAsync(quick, settle, cancellationToken).ConfigureAwait(false);
            changed = _catalog.Update(files);
            ForgetDeletesThatCameBack();

            // Never throws: the catalog has taken the change, so a failure here must not keep it from being published.
            SaveState(files);
            if (changed.Count > 0 || !_firstScan.Task.IsCompleted)
            {
                // A new snapshot only when something changed: readers (the route publisher) tell "unchanged" by reference.
                Volatile.Write(ref _entries, new Dictionary<string, CatalogEntry>(_catalog.Entries, StringComparer.Ordinal));
            }
        }
        finally
        {
            _scanLock.Release();
        }

        _firstScan.TrySetResult();
        if (changed.Count > 0)
        {
            foreach (var slug in changed)
            {
                LogChange(slug);
            }

            try
            {
                Changed?.Invoke(changed);
            }
            catch (Exception ex)
            {
                // A subscriber's fault is the subscriber's: the catalog is already updated and the next change still publishes.
                LogScanFailed(SpecsDir, ex.GetType().Name, ex.Message, ResyncPeriod.TotalSeconds);
            }
        }
    }

    private void Signal()
    {
        Interlocked.Increment(ref _pending);
        Volatile.Read(ref _wake).TrySetResult();
    }
}
