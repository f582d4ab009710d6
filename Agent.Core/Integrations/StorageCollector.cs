using GradientNode.Core.Datasets;
using GradientNode.Core.Engine;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GradientNode.Core.Integrations;

/// <summary>
/// Frees disk: at start it removes staging folders left by unfinished dataset writes (a crash, a killed upload) that no
/// container mounts; then every <see cref="StorageGcOptions.Interval"/> (and on <c>datasets gc</c>) it removes dataset
/// versions that are neither tagged, among the newest <see cref="StorageGcOptions.Keep"/>, mounted by any container
/// (<see cref="DatasetGcRules"/>), nor held by a workflow run that resolved them (<see cref="DatasetStore.Leases"/>), and integration-cache folders that no deployment plans and no container mounts. A
/// failed pass is logged and retried at the next tick: the service never stops the daemon.
/// </summary>
public sealed partial class StorageCollector(
    DatasetStore datasets,
    DatasetUsers users,
    VolumeMaterializer volumes,
    IContainerEngine engine,
    StorageGcOptions options,
    TimeProvider time,
    ILogger<StorageCollector> logger) : BackgroundService
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>One pass now (<c>datasets gc</c>); with <paramref name="dryRun"/> it finds the same things and removes none.</summary>
    public async Task<StorageGcReport> CollectAsync(CancellationToken cancellationToken, bool dryRun = false)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var uses = await users.ListAsync(cancellationToken).ConfigureAwait(false);
            var inUse = uses.Select(u => $"{u.Dataset}:{u.Version}").ToHashSet(StringComparer.Ordinal);
            var doomed = datasets.List().SelectMany(d => DatasetGcRules.Collectable(datasets.Versions(d.Name), options.Keep, inUse)).ToList();
            var staged = await users.MountedStagingAsync(cancellationToken).ConfigureAwait(false);
            var store = datasets.Collect(doomed, staged.Contains, dryRun);
            var mounted = (await engine.ListContainersAsync([], cancellationToken).ConfigureAwait(false))
                .SelectMany(c => c.Mounts).Select(m => m.Source).ToHashSet(StringComparer.Ordinal);
            var cache = volumes.CollectCache(mounted, dryRun);
            var empty = volumes.CollectRepositoryDatasets(dryRun);
            var report = new StorageGcReport([.. store.Versions.Select(v => v.Id)], store.Staging.Count, store.Objects, cache.Folders, store.ObjectBytes)
            {
                DryRun = dryRun,
                FreedBytes = store.FreedBytes + cache.FreedBytes,
                Items = [.. StorageGcItems.Of(store, cache, options.Keep), .. empty.Select(StorageGcItems.EmptyDataset)],
                EmptyDatasets = empty,
            };
            if (!dryRun && report.Versions.Count + report.Staging + report.Objects + report.Cache.Count + empty.Count > 0)
            {
                LogCollected(report.Versions.Count, report.Staging, report.Objects, report.Cache.Count, report.FreedBytes);
            }

            return report;
        }
        finally
        {
            _gate.Release();
        }
    }

    public override void Dispose()
    {
        _gate.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await StartupCleanAsync(stoppingToken).ConfigureAwait(false);
        using var timer = new PeriodicTimer(options.Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await CollectAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    LogFailed(ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task StartupCleanAsync(CancellationToken cancellationToken)
    {
        try
        {
            var mounted = await users.MountedStagingAsync(cancellationToken).ConfigureAwait(false);
            datasets.CleanStaging(mounted.Contains);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogFailed(ex.Message); // e.g. the engine is not up yet: the first timer pass cleans them
        }
    }

    [LoggerMessage(EventId = 5010, Level = LogLevel.Information, Message = "Disk collection removed {Versions} dataset versions, {Staging} staging folders, {Objects} unshared files, {Cache} integration-cache folders, freeing {Freed} bytes of disk")]
    private partial void LogCollected(int versions, int staging, int objects, int cache, long freed);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Warning, Message = "Disk collection failed (retried at the next pass): {Error}")]
    private partial void LogFailed(string error);
}
