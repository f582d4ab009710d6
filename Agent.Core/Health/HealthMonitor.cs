using System.Collections.Concurrent;
using GradientNode.Core.Specs;
using Microsoft.Extensions.Logging;
using GradientNode.Core.Common;

namespace GradientNode.Core.Health;

/// <summary>
/// Keeps one probe loop per running replica that has health checks: the reconciler calls <see cref="Track"/> for
/// what it observes and <see cref="Forget"/> for what is gone. Each loop sleeps on the <see cref="TimeProvider"/>
/// until its <see cref="ProbeTracker"/> says a probe is due, runs it, and raises <see cref="Transition"/> (the
/// deployment's slug) when the replica's health changes, so the reconciler recomputes.
/// </summary>
public sealed partial class HealthMonitor(ProbeRunner runner, TimeProvider time, ILogger<HealthMonitor> logger) : IDisposable
{
    private readonly ConcurrentDictionary<string, Loop> _loops = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    public event Action<string>? Transition;

    /// <summary>Starts (or keeps) the loop of a running container; a changed <paramref name="checks"/> restarts it from scratch.</summary>
    public void Track(string slug, string containerId, string? ip, int appPort, DateTimeOffset startedAt, HealthChecksSpec checks)
    {
        ArgumentNullException.ThrowIfNull(checks);
        if (checks.IsEmpty)
        {
            Stop(containerId);
            return;
        }

        if (_loops.TryGetValue(containerId, out var existing) && existing.Checks == checks && existing.AppPort == appPort)
        {
            return;
        }

        Stop(containerId);
        var loop = new Loop(slug, containerId, ip, appPort, checks, new ProbeTracker(checks, startedAt), CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token), time);
        if (_loops.TryAdd(containerId, loop))
        {
            loop.Task = Task.Run(() => RunAsync(loop), CancellationToken.None);
        }
        else
        {
            loop.Cancel.Dispose();
        }
    }

    /// <summary>Stops the loops of <paramref name="slug"/> whose container is not in <paramref name="keep"/>.</summary>
    public void Forget(string slug, IReadOnlySet<string> keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        foreach (var loop in _loops.Values.Where(l => l.Slug == slug && !keep.Contains(l.ContainerId)))
        {
            Stop(loop.ContainerId);
        }
    }

    /// <summary>The container's probe state, or null when it has no loop (no health checks, or not running).</summary>
    public HealthSnapshot? Get(string containerId)
    {
        if (!_loops.TryGetValue(containerId, out var loop))
        {
            return null;
        }

        lock (loop.Tracker)
        {
            var t = loop.Tracker;
            return new HealthSnapshot(t.Health, t.HasReadinessProbe, t.RestartReason, t.Status(ProbeType.Startup), t.Status(ProbeType.Readiness), t.Status(ProbeType.Liveness));
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        foreach (var id in _loops.Keys)
        {
            Stop(id);
        }

        _stopping.Dispose();
    }

    private void Stop(string containerId)
    {
        if (_loops.TryRemove(containerId, out var loop))
        {
            loop.Cancel.Cancel();
            loop.Cancel.Dispose();
        }
    }

    private async Task RunAsync(Loop loop)
    {
        var token = loop.Cancel.Token;
        try
        {
            while (!token.IsCancellationRequested)
            {
                DateTimeOffset? next;
                lock (loop.Tracker)
                {
                    next = loop.Tracker.NextDue();
                }

                if (next is not { } due)
                {
                    return;
                }

                var wait = due - loop.Now;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, token).ConfigureAwait(false);
                }

                var now = loop.Now;
                var shown = time.GetUtcNow();
                IReadOnlyList<ProbeType> dueNow;
                lock (loop.Tracker)
                {
                    dueNow = loop.Tracker.Due(now);
                }

                var results = await Task.WhenAll(dueNow.Select(async type =>
                    (type, await ProbeOnceAsync(loop, type, token).ConfigureAwait(false)))).ConfigureAwait(false);
                var changed = false;
                lock (loop.Tracker)
                {
                    foreach (var (type, result) in results)
                    {
                        changed |= loop.Tracker.Record(type, result, now, shown);
                    }
                }

                if (changed)
                {
                    var health = Get(loop.ContainerId);
                    LogTransition(loop.Slug, loop.ContainerId[..Math.Min(12, loop.ContainerId.Length)], health?.Health.ToString() ?? "?", health?.Detail ?? string.Empty);
                    RaiseTransition(loop.Slug);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Forgotten or shutting down.
        }
        catch (ObjectDisposedException)
        {
            // Forgotten while a probe was running.
        }
    }

    /// <summary>
    /// One probe; an exception the runner did not expect (a fault of any type) counts as a failed probe with its message,
    /// so the loop goes on and the replica's health never freezes.
    /// </summary>
    private async Task<ProbeResult> ProbeOnceAsync(Loop loop, ProbeType type, CancellationToken token)
    {
        try
        {
            return await runner.RunAsync(loop.Tracker.Spec(type)!, loop.ContainerId, loop.Ip, loop.AppPort, token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
        {
            LogProbeFault(loop.Slug, loop.ContainerId[..Math.Min(12, loop.ContainerId.Length)], type.ToString(), ex.GetType().Name, ex.Message);
            return ProbeResult.Fail("error", $"the probe could not run ({ex.GetType().Name}: {ex.Message})");
        }
    }

    /// <summary>A subscriber that throws must not end the probe loop.</summary>
    private void RaiseTransition(string slug)
    {
        try
        {
            Transition?.Invoke(slug);
        }
        catch (Exception ex)
        {
            LogTransitionFault(slug, ex.GetType().Name, ex.Message);
        }
    }

    [LoggerMessage(EventId = 1302, Level = LogLevel.Warning, Message = "{Slug}: the {Probe} probe of container {Container} failed unexpectedly ({Type}: {Detail}); counted as a failed probe")]
    private partial void LogProbeFault(string slug, string container, string probe, string type, string detail);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Error, Message = "{Slug}: a health transition handler failed ({Type}: {Detail})")]
    private partial void LogTransitionFault(string slug, string type, string detail);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "{Slug}: container {Container} is now {Health}: {Detail}")]
    private partial void LogTransition(string slug, string container, string health, string detail);

    /// <remarks>
    /// The schedule runs on the loop's own timeline: the wall clock when the loop began (to place the container's start,
    /// which Docker gives as wall time) plus the monotonic time since. Before, each wait was the next due time minus the
    /// wall clock, so a step back of an hour stopped every probe for an hour (a hung replica stayed ready).
    /// </remarks>
    private sealed class Loop(string slug, string containerId, string? ip, int appPort, HealthChecksSpec checks, ProbeTracker tracker, CancellationTokenSource cancel, TimeProvider time)
    {
        private readonly SteadyClock _clock = new(time);

        /// <summary>Now on the loop's timeline (see the remarks).</summary>
        public DateTimeOffset Now => _clock.Now;

        public string Slug { get; } = slug;

        public string ContainerId { get; } = containerId;

        public string? Ip { get; } = ip;

        public int AppPort { get; } = appPort;

        public HealthChecksSpec Checks { get; } = checks;

        public ProbeTracker Tracker { get; } = tracker;

        public CancellationTokenSource Cancel { get; } = cancel;

        public Task? Task { get; set; }
    }
}
