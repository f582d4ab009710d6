using System.Globalization;

namespace GradientNode.Core.Integrations;

/// <summary>
/// A folder of named entries, each a folder of immutable versions: <c>&lt;root&gt;/&lt;name&gt;/&lt;version&gt;/</c>.
/// A version appears by an atomic rename of a complete temporary folder, so a reader never sees part of one.
/// Used by the model store (versions 1, 2, …) and the dataset store (versions named by content key).
/// </summary>
public sealed class VersionedStore(string root)
{
    public const string TempPrefix = ".partial-";

    public string Root => root;

    /// <summary>A new version of the named entry was committed (a deployment waiting for a model can start now).</summary>
    public event Action<string>? Added;

    /// <summary>A single path segment of letters, digits, <c>-_.</c>, not starting with a dot.</summary>
    public static string? CheckName(string name) =>
        name.Length is 0 or > 128 || name[0] == '.' || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            ? $"'{name}' is not a valid name (one path segment of letters, digits, '-', '_' or '.', not starting with '.')"
            : null;

    public string PathOf(string name, string version) => Path.Combine(root, name, version);

    /// <summary>Creates <paramref name="folder"/> when missing and sets it to 0700: only root reads a store through the file system.</summary>
    public static void MakeOwnerOnly(string folder)
    {
        Directory.CreateDirectory(folder);
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public IReadOnlyList<StoreEntry> List() =>
        Directory.Exists(root)
            ? [.. Directory.EnumerateDirectories(root).Select(Path.GetFileName).Where(n => n is not null && !n.StartsWith('.')).Order(StringComparer.Ordinal).Select(n => Get(n!)!)]
            : [];

    public StoreEntry? Get(string name)
    {
        var dir = Path.Combine(root, name);
        if (CheckName(name) is not null || !Directory.Exists(dir))
        {
            return null;
        }

        var versions = Versions(dir);
        var (bytes, files) = DirectorySize.Of(dir);
        return new StoreEntry(name, versions, versions.Count == 0 ? null : versions[^1], bytes, files);
    }

    /// <summary>The folder of <c>name</c> or <c>name:version</c> (the latest when no version is given); null when missing.</summary>
    public string? Resolve(string reference)
    {
        var colon = reference.LastIndexOf(':');
        var name = colon < 0 ? reference : reference[..colon];
        var version = colon < 0 ? null : reference[(colon + 1)..];
        if (CheckName(name) is not null || Get(name) is not { } entry)
        {
            return null;
        }

        version ??= entry.Latest;
        return version is not null && entry.Versions.Contains(version) ? PathOf(name, version) : null;
    }

    /// <summary>
    /// Adds the next numbered version of <paramref name="name"/> from an uploaded tar stream (see <see cref="TarExtractor"/>);
    /// returns that version. The version appears only when the whole stream was unpacked: a refused, failed or cancelled
    /// upload leaves nothing behind.
    /// </summary>
    public Task<string> AddFromTarAsync(string name, Stream tar, long maxBytes, CancellationToken cancellationToken) =>
        AddAsync(name, (temp, ct) => TarExtractor.ExtractAsync(tar, temp, maxBytes, ct), cancellationToken);

    /// <summary>Fills a fresh temporary folder with <paramref name="fill"/>, then renames it to the next numbered version.</summary>
    public Task<string> AddAsync(string name, Func<string, CancellationToken, Task> fill, CancellationToken cancellationToken) =>
        AddCoreAsync(name, TempPrefix + Guid.NewGuid().ToString("N"), fill, null, cancellationToken);

    /// <summary>
    /// <see cref="AddAsync"/> for a writer that may be interrupted and re-run (a workflow's <c>create-model@v1</c>): the
    /// temporary folder is named by <paramref name="key"/> (an interrupted attempt's leftover is removed first), and
    /// <paramref name="committing"/> hears the version number just before the rename takes it. So after a crash, a
    /// recorded number whose folder exists while <see cref="HasPartial"/> is false was this writer's own commit.
    /// </summary>
    public Task<string> AddOnceAsync(string name, string key, Func<string, CancellationToken, Task> fill, Action<string> committing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(committing);
        if (CheckName(key) is { } problem)
        {
            throw new ArgumentException(problem, nameof(key));
        }

        return AddCoreAsync(name, TempPrefix + key, fill, committing, cancellationToken);
    }

    /// <summary>Whether an <see cref="AddOnceAsync"/> with this key left its temporary folder (it did not commit).</summary>
    public bool HasPartial(string name, string key) =>
        CheckName(name) is null && CheckName(key) is null && Directory.Exists(Path.Combine(root, name, TempPrefix + key));

    private async Task<string> AddCoreAsync(string name, string tempName, Func<string, CancellationToken, Task> fill, Action<string>? committing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fill);
        if (CheckName(name) is { } problem)
        {
            throw new ArgumentException(problem, nameof(name));
        }

        MakeOwnerOnly(root);
        var dir = Path.Combine(root, name);
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, tempName);
        try
        {
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }

            Directory.CreateDirectory(temp);
            await fill(temp, cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            while (true)
            {
                var next = (Versions(dir).Select(v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0).DefaultIfEmpty(0).Max() + 1)
                    .ToString(CultureInfo.InvariantCulture);
                committing?.Invoke(next);
                try
                {
                    Directory.Move(temp, Path.Combine(dir, next));
                    Added?.Invoke(name);
                    return next;
                }
                catch (IOException) when (Directory.Exists(Path.Combine(dir, next)))
                {
                    // Another add took this number first: take the next.
                }
            }
        }
        finally
        {
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }

            try
            {
                if (!Directory.EnumerateFileSystemEntries(dir).Any())
                {
                    Directory.Delete(dir);
                }
            }
            catch (IOException)
            {
                // Another add of the same name got under way: its folder stays.
            }
        }
    }

    public bool Remove(string name)
    {
        var dir = Path.Combine(root, name);
        if (CheckName(name) is not null || !Directory.Exists(dir))
        {
            return false;
        }

        Directory.Delete(dir, recursive: true);
        return true;
    }

    /// <summary>Complete versions, numbered ones in numeric order then the others by time.</summary>
    private static List<string> Versions(string dir) =>
        [.. new DirectoryInfo(dir).EnumerateDirectories()
            .Where(d => !d.Name.StartsWith('.'))
            .OrderBy(d => int.TryParse(d.Name, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : int.MaxValue)
            .ThenBy(d => d.CreationTimeUtc)
            .Select(d => d.Name)];
}
