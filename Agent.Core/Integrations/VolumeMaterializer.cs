// Over 300 lines: one fetch job's whole life (start, watchdog, commit or rename, retry state, cancellation) and the cache
// collection that must see the same job table; splitting them would expose the job table to a second type. The job
// record (VolumeMaterializer.Job.cs) and the cancelling of unwanted fetches (VolumeMaterializer.Unwanted.cs) are parts
// of this class in files of their own.
using System.Collections.Concurrent;
using GradientNode.Core.Common;
using GradientNode.Core.Datasets;
using GradientNode.Core.Engine;
using GradientNode.Core.Secrets;
using GradientNode.Core.Specs;
using GradientNode.Core.Status;
using Microsoft.Extensions.Logging;

namespace GradientNode.Core.Integrations;

/// <summary>
/// Makes a spec version's volumes exist before any of its replicas starts. Content is keyed by its block, fetched once
/// in the background into a temporary folder and renamed into place when complete, so replicas, scale-ups, restarts
/// and later versions with the same block share it and never see part of it. A stalled fetch is cancelled; a failed
/// one retries with backoff. <see cref="Prepare"/> never waits on a download: it answers ready, pending or failed.
/// </summary>
public sealed partial class VolumeMaterializer : IDisposable
{
    private readonly VolumeStores _stores;
    private readonly IReadOnlyList<IIntegrationFetcher> _fetchers;
    private readonly MaterializerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<VolumeMaterializer> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, Job> _jobs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IReadOnlyList<VolumeRequest>> _current = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (long Bytes, long At)> _sizes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _versions = new(StringComparer.Ordinal);
    private readonly VolumeOwners _owners;

    public VolumeMaterializer(VolumeStores stores, IEnumerable<IIntegrationFetcher> fetchers, MaterializerOptions options, TimeProvider time, ILogger<VolumeMaterializer> logger)
    {
        _stores = stores;
        _fetchers = [.. fetchers];
        _options = options;
        _time = time;
        _logger = logger;
        _owners = new VolumeOwners(stores.OwnersDir, stores.NamedDir, new StateFileDamage(time, logger));
        stores.SecureRoots();
        Directory.CreateDirectory(stores.CacheDir);
        Directory.CreateDirectory(stores.OwnersDir);
        foreach (var partial in Directory.EnumerateDirectories(stores.CacheDir, VersionedStore.TempPrefix + "*"))
        {
            Directory.Delete(partial, recursive: true); // left by a daemon that stopped mid-fetch
        }
    }

    /// <summary>A fetch finished (either way) for these deployments: reconcile them again.</summary>
    public event Action<string>? Changed;

    /// <summary>
    /// Ready, pending or failed for <paramref name="spec"/>. A <paramref name="version"/> (the spec hash) this deployment
    /// did not prepare before retries a failed fetch at once: <c>gradient-node restart</c> or a spec edit after the
    /// bucket was fixed should not wait out a backoff of up to 5 minutes.
    /// </summary>
    public MaterializeResult Prepare(DeploymentSpec spec, SecretResolution secrets, string? version = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var newVersion = version is not null && (!_versions.TryGetValue(spec.Slug, out var last) || last != version);
        if (version is not null)
        {
            _versions[spec.Slug] = version;
        }

        var plan = VolumePlanner.Plan(spec, secrets, _stores);
        _current[spec.Slug] = plan.Volumes;
        if (plan.Volumes.Count == 0 && plan.Problems.Count == 0)
        {
            StopWaiting(spec.Slug, new HashSet<string>(StringComparer.Ordinal));
            return MaterializeResult.None;
        }

        _owners.Record(spec.Slug, plan.Volumes.Where(v => v.Kind is VolumeKind.Fetched or VolumeKind.Named).Select(v => v.HostPath));
        StopWaiting(spec.Slug, plan.Volumes.Select(v => v.Key).ToHashSet(StringComparer.Ordinal));
        var errors = new List<string>(plan.Problems);
        var pending = false;
        foreach (var volume in plan.Volumes)
        {
            if (volume.Kind == VolumeKind.Named)
            {
                Directory.CreateDirectory(volume.HostPath);
                continue;
            }

            if (volume.Source is null || Directory.Exists(volume.HostPath))
            {
                continue;
            }

            var job = _jobs.GetOrAdd(volume.Key, _ => new Job());
            lock (job)
            {
                job.Slugs.Add(spec.Slug);
                if (job.Running is not null)
                {
                    pending = true;
                }
                else if (job.Error is { } error && _time.Until(job.RetryAt) is var left && left > TimeSpan.Zero && !newVersion)
                {
                    var wait = Math.Ceiling(left.TotalSeconds);
                    errors.Add($"{volume.Field}: {error} (attempt {job.Failures}; retrying in {wait}s)");
                }
                else
                {
                    job.Progress = new FetchProgress(_time);
                    job.Cancel = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
                    job.Running = Task.Run(() => RunAsync(spec.Slug, volume, job));
                    pending = true;
                }
            }
        }

        if (errors.Count > 0)
        {
            return new MaterializeResult([], false, string.Join("; ", errors));
        }

        return pending
            ? new MaterializeResult([], true, null)
            : new MaterializeResult([.. plan.Volumes.Select(v => new BindMount(v.HostPath, v.MountPath, v.ReadOnly))], false, null);
    }

    /// <summary>The volumes of a deployment's current version, with progress and disk use.</summary>
    public IReadOnlyList<VolumeStatus> StatusOf(string slug)
    {
        if (!_current.TryGetValue(slug, out var volumes))
        {
            return [];
        }

        return [.. volumes.Select(v =>
        {
            var job = _jobs.GetValueOrDefault(v.Key);
            var ready = v.Kind is VolumeKind.Named or VolumeKind.Model || Directory.Exists(v.HostPath);
            var progress = job?.Progress;
            return new VolumeStatus
            {
                Field = v.Field,
                Kind = v.Kind.ToString().ToLowerInvariant(),
                MountPath = v.MountPath,
                ReadOnly = v.ReadOnly,
                State = ready ? "ready" : job?.Running is not null ? "fetching" : job?.Error is not null ? "failed" : "pending",
                Message = ready ? null : job?.Error,
                BytesDone = progress?.BytesDone ?? 0,
                BytesTotal = progress?.BytesTotal ?? 0,
                FilesDone = progress?.FilesDone ?? 0,
                FilesTotal = progress?.FilesTotal ?? 0,
                DiskBytes = ready ? SizeOf(v.HostPath) : 0,
                Fetches = job?.Fetches ?? 0,
            };
        })];
    }

    /// <summary>Total bytes the volumes of every deployment take (models and datasets are not counted: they are kept).</summary>
    public long TotalVolumeBytes() => SizeOf(_stores.CacheDir) + SizeOf(_stores.NamedDir);

    /// <summary>The space each deployment's volumes take (read-write named volumes and fetched content), by slug.</summary>
    public IReadOnlyDictionary<string, long> DiskUseByDeployment() =>
        _current.ToDictionary(
            pair => pair.Key,
            pair => pair.Value.Where(v => v.Kind is VolumeKind.Fetched or VolumeKind.Named or VolumeKind.Dataset).Sum(v => SizeOf(v.HostPath)),
            StringComparer.Ordinal);

    /// <summary>
    /// A deployment was deleted: remove its named volumes, every cached volume no other deployment uses, and the dataset its
    /// legacy <c>repositories</c> block created when no clone committed a version to it and no other deployment names it.
    /// </summary>
    public void Release(string slug)
    {
        _current.TryRemove(slug, out var plan);
        _versions.TryRemove(slug, out _);
        StopWaiting(slug, new HashSet<string>(StringComparer.Ordinal));
        foreach (var dataset in (plan ?? []).Where(v => v.Dataset is not null).Select(v => v.Dataset!.Value.Name).Distinct(StringComparer.Ordinal))
        {
            RemoveUnplannedRepositoryDataset(dataset); // a clone that never committed left it empty
        }

        var inUse = _current.Values.SelectMany(v => v).Select(v => v.HostPath).ToHashSet(StringComparer.Ordinal);
        foreach (var path in _owners.Release(slug, inUse))
        {
            LogRemoved(slug, path);
        }

        _stores.RemoveEmptyNamedFolder(slug);
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private async Task RunAsync(string slug, VolumeRequest volume, Job job)
    {
        var started = _time.GetTimestamp();
        var temp = Path.Combine(Path.GetDirectoryName(volume.HostPath)!, VersionedStore.TempPrefix + Path.GetFileName(volume.HostPath) + "-" + Guid.NewGuid().ToString("N")[..8]);
        var progress = job.Progress!;
        int attempt;
        lock (job)
        {
            attempt = job.Failures + 1;
            job.Fetches++;
        }

        LogFetching(slug, volume.Field, volume.Source!.ToString(), volume.Key[..Math.Min(12, volume.Key.Length)], attempt);
        string? error = null;
        var abandoned = false;
        DatasetWrite? write = null;
        var cancel = job.Cancel!;
        try
        {
            var fetcher = _fetchers.FirstOrDefault(f => f.Handles(volume.Source)) ?? throw new IntegrationFetchException($"no fetcher for {volume.Source}", permanent: true);
            if (volume.Dataset is { } dataset)
            {
                // Legacy repositories clone into a real version of their dataset, committed only when complete.
                write = _stores.Datasets.BeginWriteCreating(dataset.Name, $"cloned for deployment {slug}: {volume.Source}", RepositoriesCreator, RepositoriesDescription);
                temp = write.ContentPath;
            }
            else
            {
                Directory.CreateDirectory(Path.GetDirectoryName(volume.HostPath)!);
                Directory.CreateDirectory(temp);
            }

            using var watchdog = new PeriodicTimer(TimeSpan.FromSeconds(1), _time);
            var fetch = fetcher.FetchAsync(volume.Source, temp, progress, cancel.Token);
            var stalled = false;
            // Stop watching once cancelled (the daemon stops): the tick wait would then complete at once, forever.
            while (!fetch.IsCompleted && !cancel.IsCancellationRequested)
            {
                await Task.WhenAny(fetch, watchdog.WaitForNextTickAsync(cancel.Token).AsTask()).ConfigureAwait(false);
                if (!fetch.IsCompleted && progress.Idle > _options.StallTimeout)
                {
                    stalled = true;
                    await cancel.CancelAsync().ConfigureAwait(false);
                    break;
                }
            }

            try
            {
                await fetch.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stalled)
            {
                throw new IntegrationFetchException($"no progress for {_options.StallTimeout.TotalSeconds:F0}s; the download was stopped");
            }

            if (write is not null)
            {
                await _stores.Datasets.CommitAsync(write, cancel.Token, volume.Dataset!.Value.Version, volume.Key).ConfigureAwait(false);
                write = null;
            }
            else
            {
                Directory.Move(temp, volume.HostPath);
            }

            LogFetched(slug, volume.Field, volume.Key[..Math.Min(12, volume.Key.Length)], progress.FilesDone, progress.BytesDone, _time.GetElapsedTime(started).TotalSeconds);
        }
        catch (Exception) when (job.Abandoned)
        {
            abandoned = true; // no deployment waits for it any more (deleted, or its spec names other content)
        }
        catch (IntegrationFetchException ex)
        {
            error = ex.Message;
        }
        catch (Exception ex)
        {
            // Any exception ends the fetch as failed (retried with backoff): a fetch never stays "fetching".
            error = ex is IOException && ex.Message.Contains("No space left", StringComparison.Ordinal) ? $"the node's disk is full ({ex.Message})" : ex.Message;
        }
        finally
        {
            if (write is not null)
            {
                try
                {
                    _stores.Datasets.Abort(write);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // The staging folder is removed by the next gc pass.
                }

                if (abandoned)
                {
                    RemoveUnplannedRepositoryDataset(volume.Dataset!.Value.Name); // its deployment was deleted meanwhile
                }
            }
            else if (Directory.Exists(temp))
            {
                try
                {
                    Directory.Delete(temp, recursive: true);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Removed on the next start.
                }
            }
        }

        List<string> slugs;
        lock (job)
        {
            job.Running = null;
            job.Cancel = null;
            job.Abandoned = false;
            cancel.Dispose();
            if (abandoned)
            {
                LogFetchAbandoned(slug, volume.Field, volume.Key[..Math.Min(12, volume.Key.Length)]);
            }
            else if (error is null)
            {
                job.Failures = 0;
                job.Error = null;
            }
            else
            {
                job.Failures++;
                job.Error = error;
                job.RetryAt = _time.After(_options.RetryAfter(job.Failures));
                LogFetchFailed(slug, volume.Field, job.Failures, _options.RetryAfter(job.Failures).TotalSeconds, error);
            }

            slugs = [.. job.Slugs];
        }

        foreach (var waiting in slugs)
        {
            Changed?.Invoke(waiting);
        }
    }

    private long SizeOf(string path)
    {
        var now = _time.GetTimestamp();
        if (_sizes.TryGetValue(path, out var cached) && _time.GetElapsedTime(cached.At) < TimeSpan.FromSeconds(10))
        {
            return cached.Bytes;
        }

        var bytes = DirectorySize.Of(path).Bytes;
        _sizes[path] = (bytes, now);
        return bytes;
    }
}
