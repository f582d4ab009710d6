using System.Collections.Concurrent;
using GradientNode.Core.Engine;
using GradientNode.Core.Gpus;
using GradientNode.Core.Specs;
using GradientNode.Core.Status;
using GradientNode.Core.Traffic;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GradientNode.Core.Autoscaling;

/// <summary>
/// Every <see cref="AutoscalerOptions.Interval"/>: for each enabled deployment with <c>resources.autoscaling</c>,
/// read its ready replicas (from status), their CPU and memory (Docker stats, relative to the machine type's limits)
/// and their request durations at the proxy (<c>proxy-stats.json</c>), decide (<see cref="AutoscaleDecider"/>) and
/// store the desired count; a change wakes the reconciler through <see cref="AutoscaleStore.Changed"/>.
/// </summary>
public sealed partial class AutoscalerService(
    Func<IEnumerable<DeploymentSpec>> specs,
    StatusStore statuses,
    IContainerEngine engine,
    Func<TrafficSnapshot?> traffic,
    MachineTypeTable machineTypes,
    AutoscaleStore store,
    AutoscalerOptions options,
    TimeProvider time,
    ILogger<AutoscalerService> logger,
    int? hostCpus = null) : BackgroundService
{
    private static readonly TimeSpan StatsTimeout = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<string, (UsageSeries Cpu, UsageSeries Memory)> _usage = new(StringComparer.Ordinal);
    private readonly int _hostCpus = hostCpus ?? Environment.ProcessorCount;

    /// <summary>One evaluation of every autoscaled deployment (the loop's body; tests call it on a fake clock).</summary>
    public async Task EvaluateOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        FollowClockStep(now);
        var all = specs().ToList();
        var autoscaled = all
            .Where(s => s.Enabled && s.Resources.Replicas > 0 && s.Resources.Autoscaling is { Enabled: true })
            .ToList();

        // The proxy's figures (a file read and a JSON parse) only when a deployment scales on request duration: a
        // node without autoscaling does nothing here but filter its specs (issue 20, idle cost).
        var stats = autoscaled.Any(s => s.Resources.Autoscaling!.Metrics.Any(m => m.Metric == AutoscalingMetric.RequestDuration)) ? traffic() : null;
        if (stats is not null && !stats.IsCurrent(now, options.TrafficMaxAge))
        {
            // A busy proxy that stopped writing says nothing about the load now (one at rest writes nothing until a request).
            stats = null;
        }

        // A deployment whose spec is away while its replicas still have a status (a spec file away for a moment,
        // RemovalGrace, or a removal draining) keeps its count: when the file comes back it serves at the count it had,
        // not at its minimum. One whose spec no longer autoscales, or that is gone with its status, is forgotten.
        var slugs = autoscaled.Select(s => s.Slug).ToHashSet(StringComparer.Ordinal);
        var specified = all.Select(s => s.Slug).ToHashSet(StringComparer.Ordinal);
        bool Gone(string slug) => !slugs.Contains(slug) && (specified.Contains(slug) || statuses.Get(slug) is null);
        foreach (var gone in store.Slugs.Where(Gone).ToList())
        {
            store.Forget(gone);
        }

        foreach (var gone in _usage.Keys.Where(Gone).ToList())
        {
            _usage.TryRemove(gone, out _);
        }

        // In parallel: a deployment's Docker stats take about a second; one slow deployment delays no other.
        await Task.WhenAll(autoscaled.Select(spec => EvaluateGuardedAsync(spec, stats, now, cancellationToken))).ConfigureAwait(false);
    }

    private async Task EvaluateGuardedAsync(DeploymentSpec spec, TrafficSnapshot? stats, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            await EvaluateAsync(spec, stats, now, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // Whatever went wrong, the count stays as it is and the next tick tries again; the daemon keeps running.
            LogEvaluationFailed(spec.Slug, ex.Message);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogStarted(options.Interval.TotalSeconds, options.ScaleDownStabilization.TotalSeconds);
        using var timer = new PeriodicTimer(options.Interval, time);
        try
        {
            do
            {
                await EvaluateOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task EvaluateAsync(DeploymentSpec spec, TrafficSnapshot? stats, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var autoscaling = spec.Resources.Autoscaling!;
        var ready = statuses.Get(spec.Slug)?.Replicas.Where(i => i.Ready && i.Index >= 0).ToList() ?? [];
        var metrics = autoscaling.Metrics.ToList();
        if (metrics.Any(m => m.Metric is AutoscalingMetric.Cpu or AutoscalingMetric.Memory))
        {
            await SampleUsageAsync(spec, ready, now, cancellationToken).ConfigureAwait(false);
        }

        var readings = metrics.Select(m => Read(spec, m, ready, stats, now)).ToList();
        var min = spec.Resources.Replicas;
        var state = store.Get(spec.Slug) ?? new AutoscaleState(min);
        if (state.EvaluatedAt is null)
        {
            // First look since the daemon started: the current count counts as recommended now, so a restart never
            // scales down before a whole stabilization window has been observed.
            state = state with { History = [new Recommendation(now, state.Desired)] };
        }

        var decision = AutoscaleDecider.Decide(
            new AutoscaleInput(min, autoscaling.MaxReplicas, state.Desired, ready.Count, readings, state.History, state.Events, now),
            options);
        var events = decision.Event is { } scaled ? [.. state.Events, scaled] : state.Events;
        if (events.Count > AutoscaleState.EventsKept)
        {
            events = [.. events.Skip(events.Count - AutoscaleState.EventsKept)];
        }

        store.Set(spec.Slug, state with
        {
            Desired = decision.Desired,
            History = decision.History,
            Events = events,
            LastDecision = decision,
            Readings = readings,
            EvaluatedAt = now,
        });
        if (decision.Event is { } e)
        {
            LogScaled(spec.Slug, e.From, e.To, e.Reason);
        }
    }

    private MetricReading Read(DeploymentSpec spec, AutoscalingMetricSpec metric, IReadOnlyList<ReplicaStatus> ready, TrafficSnapshot? stats, DateTimeOffset now)
    {
        if (metric.Metric == AutoscalingMetric.RequestDuration)
        {
            return RequestDuration(spec.Slug, metric.Value, ready, stats, options.MinRequests);
        }

        if (!_usage.TryGetValue(spec.Slug, out var usage))
        {
            return new MetricReading(metric.Metric, metric.Value, null, null);
        }

        if (metric.Metric == AutoscalingMetric.Memory)
        {
            return new MetricReading(metric.Metric, metric.Value, usage.Memory.Average(now, options.UsageWindow), usage.Memory.Average(now, options.PanicWindow));
        }

        // CPU is load: the series holds the ready replicas' total, shared out over the replicas ready now, so that
        // samples taken while fewer replicas ran do not count once per replica that runs now (Knative's rule).
        return ready.Count == 0
            ? new MetricReading(metric.Metric, metric.Value, null, null)
            : new MetricReading(metric.Metric, metric.Value, usage.Cpu.Average(now, options.UsageWindow) / ready.Count, usage.Cpu.Average(now, options.PanicWindow) / ready.Count);
    }

    /// <summary>
    /// Average request duration over the ready replicas' requests at the proxy: 5 minutes (the product's period) and
    /// 10 s. No request in the last 10 s and none in flight is 0 in both (idle); no proxy figures at all, or fewer than
    /// <paramref name="minRequests"/> requests in a window, is no data for that window.
    /// </summary>
    internal static MetricReading RequestDuration(string slug, double target, IReadOnlyList<ReplicaStatus> ready, TrafficSnapshot? stats, int minRequests = 1)
    {
        if (stats is null)
        {
            return new MetricReading(AutoscalingMetric.RequestDuration, target, null, null);
        }

        var ids = ready.Select(i => ReplicaRouteId.Of(slug, i.Index, i.ContainerId)).ToHashSet(StringComparer.Ordinal);
        var replicas = stats.TrafficOf(slug, ids).ToList();
        if (replicas.Sum(t => t.Requests10s + t.InFlight) == 0)
        {
            // Idle now: nothing completed in the short window and nothing in flight. A 5-minute average of requests
            // that stopped coming would otherwise keep idle replicas for five more minutes.
            return new MetricReading(AutoscalingMetric.RequestDuration, target, 0, 0);
        }

        return new MetricReading(
            AutoscalingMetric.RequestDuration,
            target,
            Weighted(replicas.Select(t => (t.Requests5m, t.AverageDurationSeconds5m)), minRequests),
            Weighted(replicas.Select(t => (t.Requests10s, t.AverageDurationSeconds10s)), minRequests));
    }

    private static double? Weighted(IEnumerable<(long Count, double? Average)> windows, int minRequests)
    {
        long count = 0;
        double sum = 0;
        foreach (var (n, average) in windows)
        {
            if (n > 0 && average is { } a)
            {
                count += n;
                sum += a * n;
            }
        }

        return count == 0 ? 0 : count < minRequests ? null : sum / count;
    }

    private async Task SampleUsageAsync(DeploymentSpec spec, IReadOnlyList<ReplicaStatus> ready, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var keep = options.UsageWindow > options.PanicWindow ? options.UsageWindow : options.PanicWindow;
        var usage = _usage.GetOrAdd(spec.Slug, _ => (new UsageSeries(keep), new UsageSeries(keep)));

        if (ready.Count == 0)
        {
            return;
        }

        var samples = await Task.WhenAll(ready.Select(i => StatsAsync(i.ContainerId, cancellationToken))).ConfigureAwait(false);
        var valid = samples.OfType<ContainerStats>().ToList();
        if (valid.Count == 0)
        {
            return;
        }

        // Docker's CPU % counts one core as 100; a replica's limit is its machine type's CPUs (at most the node's).
        var cpus = machineTypes.Find(spec.Resources.MachineType) is { } type ? Math.Min(type.Cpus, _hostCpus) : _hostCpus;
        // Replicas whose stats failed count at the average of the others.
        usage.Cpu.Add(now, valid.Average(s => s.CpuPercent / Math.Max(cpus, 0.01)) * ready.Count);
        var withLimit = valid.Where(s => s.MemoryLimitBytes > 0).ToList();
        if (withLimit.Count > 0)
        {
            usage.Memory.Add(now, withLimit.Average(s => 100.0 * s.MemoryUsageBytes / s.MemoryLimitBytes));
        }
    }

    private async Task<ContainerStats?> StatsAsync(string containerId, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StatsTimeout);
        try
        {
            return await engine.GetStatsAsync(containerId, timeout.Token).ConfigureAwait(false);
        }
        catch (EngineException ex)
        {
            LogStatsFailed(containerId, ex.Message);
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogStatsFailed(containerId, "timed out");
            return null;
        }
    }

    [LoggerMessage(EventId = 1900, Level = LogLevel.Information, Message = "autoscaler started: every {IntervalSeconds} s, scale-down stabilization {StabilizationSeconds} s")]
    private partial void LogStarted(double intervalSeconds, double stabilizationSeconds);

    [LoggerMessage(EventId = 1901, Level = LogLevel.Information, Message = "{Slug}: autoscaled {From} -> {To}: {Reason}")]
    private partial void LogScaled(string slug, int from, int to, string reason);

    [LoggerMessage(EventId = 1902, Level = LogLevel.Warning, Message = "{Slug}: autoscaler evaluation failed: {Error}")]
    private partial void LogEvaluationFailed(string slug, string error);

    [LoggerMessage(EventId = 1903, Level = LogLevel.Debug, Message = "stats of {ContainerId}: {Error}")]
    private partial void LogStatsFailed(string containerId, string error);
}
