using System.Collections.Concurrent;
using GradientNode.Core.Catalog;
using GradientNode.Core.Engine;
using GradientNode.Core.Gpus;
using GradientNode.Core.Health;
using GradientNode.Core.Specs;
using GradientNode.Core.Status;
using Microsoft.Extensions.Logging;

namespace GradientNode.Core.Reconciliation;

/// <summary>
/// Reconciles one deployment: observe its containers by label, compute the pure plan, execute it, and
/// report the resulting status. Errors are caught here and become status, so one deployment never
/// blocks another.
/// </summary>
public sealed partial class DeploymentReconciler(
    IContainerEngine engine,
    ReplicaObserver observer,
    ReconcilerOptions options,
    Func<SecretRef, bool> secretResolvable,
    TimeProvider time,
    ILogger<DeploymentReconciler> logger,
    HealthMonitor? monitor = null,
    InstanceJournal? journal = null,
    DeploymentSecrets? secrets = null,
    GpuAssigner? gpus = null,
    Autoscaling.AutoscaleStore? autoscale = null,
    DrainWaiter? drainer = null,
    GpuLossMonitor? gpuLoss = null)
{
    private static readonly TimeSpan ErrorRecheck = TimeSpan.FromSeconds(15);
    private readonly ConcurrentDictionary<string, RolloutTrack> _rollouts = new(StringComparer.Ordinal);
    private readonly InstanceJournal _journal = journal ?? new InstanceJournal();
    private readonly ImagePuller _puller = secrets?.Puller ?? new ImagePuller(engine, null, new PullProgressTracker(time), time);

    public async Task<ReconcileOutcome> ReconcileAsync(string slug, CatalogEntry? entry, CancellationToken cancellationToken, Action<DeploymentStatus>? onProgress = null)
    {
        var spec = entry?.Spec;
        var hash = spec is null ? string.Empty : secrets?.VersionHash(spec) ?? SpecHasher.Compute(spec);
        var desired = spec switch
        {
            null => DesiredReplicas.None("deployment removed"),
            { Enabled: false } => DesiredReplicas.None("deployment disabled (enabled: false)"),
            { Resources.Replicas: 0 } => DesiredReplicas.None("deployment disabled (replicas: 0)"),
            // With autoscaling, the autoscaler's count within replicas..maxReplicas.
            _ => new DesiredReplicas(autoscale?.DesiredFor(spec) ?? spec.Resources.Replicas, hash),
        };
        var port = spec?.Resources.FirstPort ?? 80;
        var observed = await ObserveAsync(slug, spec, port, cancellationToken).ConfigureAwait(false);

        if (entry is { Spec: null })
        {
            // Never valid: leave whatever runs alone (nothing is lost to a typo) and report the errors.
            return new ReconcileOutcome(Build(slug, entry, DesiredReplicas.None("invalid"), observed, null, null), null);
        }

        var now = time.GetUtcNow();
        var track = TrackRollout(slug, desired, observed, now);
        desired = desired with { ProgressDeadline = options.ProgressDeadline, RolloutProgressAt = track?.LastProgress };
        var plan = ReconcilePlanner.Plan(desired, observed, now);
        string? error = null;
        var resolution = Secrets.SecretResolution.None;
        var volumes = Integrations.MaterializeResult.None;
        var pulling = false;
        if (spec is not null && plan.Creates.Any())
        {
            // A spec version starts only with all its secrets and its image; otherwise what runs keeps running.
            error = gpus?.Validate(spec.Resources.MachineType);
            resolution = secrets?.Resolve(spec, hash) ?? Secrets.SecretResolution.None;
            error ??= resolution.IsComplete ? null : string.Join("; ", resolution.Missing);
            if (error is null && secrets?.Volumes is { } materializer)
            {
                // Integrations, models and repositories: fetched once per content key, in the background.
                volumes = materializer.Prepare(spec, resolution);
                error = volumes.Error;
            }

            if (error is null && !volumes.Pending)
            {
                // The image is pulled in the background: this reconcile never waits for a download.
                var image = await _puller.EnsureAsync(spec, hash, cancellationToken).ConfigureAwait(false);
                error = image.Error;
                pulling = image.Pending;
                if (pulling && _puller.Progress.Get(slug) is { } pull)
                {
                    // The replicas waiting for it say how far it got.
                    foreach (var create in plan.Creates)
                    {
                        _journal.Update($"{slug}-{create.Index}", "pulling", pull.Describe(), now);
                    }
                }

                if (error is not null)
                {
                    LogImageFailed(spec.Slug, error);
                }
            }
        }
        else if (spec is not null && desired.Count > 0 && secrets?.Resolve(spec, hash) is { IsComplete: false } gone)
        {
            // A secret removed under a running version: its status names it (a protected route fails closed).
            error = string.Join("; ", gone.Missing);
        }

        var acted = !plan.Steps.All(step => step is WaitBackoff or RolloutFailed);
        var leaving = plan.Removes.Where(r => r.Replica.Running).Select(r => (r.Replica, r.Reason))
            .Concat(plan.Stops.Select(s => (s.Replica, s.Reason)))
            .ToList();
        var drainUntil = now;
        if (leaving.Count > 0)
        {
            // Take leaving replicas out of rotation before they are stopped; they drain while new ones start.
            var ids = leaving.Select(l => l.Replica.ContainerId).ToHashSet(StringComparer.Ordinal);
            var interim = observed.Select(r => ids.Contains(r.ContainerId) ? r with { Ready = false } : r).ToList();
            onProgress?.Invoke(Build(slug, entry, desired, interim, error, null, Rollout(track, desired, plan, observed)));
            if (leaving.Any(l => l.Replica.Ready))
            {
                drainUntil = now + options.DrainTime;
            }

            foreach (var (replica, reason) in leaving)
            {
                _journal.Record($"{slug}-{replica.Index}", "stopping", $"{replica.ContainerName}: {reason}", now);
            }
        }

        foreach (var create in plan.Creates)
        {
            _journal.Record($"{slug}-{create.Index}", "pending", create.Restarts > 0 ? $"restart {create.Restarts}" : null, now);
        }

        // Three phases, each in parallel: dead containers out, new replicas in, then (after the drain) old ones out.
        await Task.WhenAll(plan.Removes.Where(r => !r.Replica.Running).Select(r => RemoveAsync(slug, r, cancellationToken))).ConfigureAwait(false);
        var gpuWaits = new ConcurrentQueue<string>();
        if (error is null && spec is not null && !volumes.Pending && !pulling)
        {
            var failures = await Task.WhenAll(plan.Creates.Select(c => CreateAsync(spec, hash, c, resolution, volumes.Binds, gpuWaits, cancellationToken))).ConfigureAwait(false);
            error = failures.FirstOrDefault(f => f is not null);
        }

        var drain = drainUntil - time.GetUtcNow();
        if (drain > TimeSpan.Zero)
        {
            await Task.Delay(drain, time, cancellationToken).ConfigureAwait(false);
        }

        if (drainer is not null && leaving.Where(l => l.Replica.Ready).Select(l => l.Replica).ToList() is { Count: > 0 } draining)
        {
            // Then until the proxy has none of their requests in flight (a long generation finishes), bounded.
            var stillInFlight = await drainer.WaitAsync(slug, draining, now, cancellationToken).ConfigureAwait(false);
            if (stillInFlight > 0)
            {
                LogDrainTimedOut(slug, stillInFlight, drainer.Timeout.TotalSeconds);
            }
        }

        await Task.WhenAll(plan.Removes.Where(r => r.Replica.Running).Select(r => RemoveAsync(slug, r, cancellationToken))
            .Concat(plan.Stops.Select(s => StopAsync(slug, s, cancellationToken)))).ConfigureAwait(false);

        if (acted)
        {
            observed = await ObserveAsync(slug, spec, port, cancellationToken).ConfigureAwait(false);
        }

        var backoff = plan.Steps.OfType<WaitBackoff>().Select(w => (DateTimeOffset?)w.Until).Min();
        var status = Build(slug, entry, desired, observed, error, backoff, Rollout(track, desired, plan, observed), gpuWaits.Order(StringComparer.Ordinal).FirstOrDefault());
        if (entry is null && observed.Count == 0)
        {
            secrets?.Volumes?.Release(slug);
            secrets?.Forget(slug);
            _journal.Prune(slug, new HashSet<string>(StringComparer.Ordinal));
            return new ReconcileOutcome(null, null);
        }

        return new ReconcileOutcome(status, RecheckAfter(status, backoff, error));
    }

    /// <summary>Reads the replicas, overlays what their probes say, journals their states and keeps exited ones' last lines.</summary>
    private async Task<IReadOnlyList<ObservedReplica>> ObserveAsync(string slug, DeploymentSpec? spec, int port, CancellationToken cancellationToken)
    {
        var observed = await observer.ObserveAsync(slug, port, cancellationToken).ConfigureAwait(false);
        if (monitor is not null)
        {
            var checks = spec?.HealthChecks ?? HealthChecksSpec.None;
            var probed = new HashSet<string>(StringComparer.Ordinal);
            observed = [.. observed.Select(r =>
            {
                if (!r.Running || r.StartedAt is not { } started)
                {
                    return r;
                }

                monitor.Track(slug, r.ContainerId, r.IpAddress, port, started, checks);
                probed.Add(r.ContainerId);
                if (monitor.Get(r.ContainerId) is not { } health)
                {
                    return r;
                }

                // With a readiness probe it alone decides; without one, the TCP check does (once any startup probe passed).
                var ready = health.Health == ReplicaHealth.Ready && (health.HasReadinessProbe || r.Ready);
                return r with { Health = health, Ready = ready };
            })];
            monitor.Forget(slug, probed);
        }

        if (gpuLoss is not null)
        {
            // Running GPU replicas are checked for a lost GPU; one that lost it is out of rotation and gets replaced.
            var checkedIds = new HashSet<string>(StringComparer.Ordinal);
            observed = [.. observed.Select(r =>
            {
                if (!r.Running || r.Gpus.Count == 0)
                {
                    return r;
                }

                gpuLoss.Track(slug, $"{slug}-{r.Index}", r.ContainerId, r.Gpus);
                checkedIds.Add(r.ContainerId);
                return gpuLoss.LostReason(r.ContainerId) is { } lost ? r with { GpuLoss = lost, Ready = false } : r;
            })];
            gpuLoss.Forget(slug, checkedIds);
        }

        var now = time.GetUtcNow();
        foreach (var replica in observed.Where(r => r.Index >= 0))
        {
            var id = $"{slug}-{replica.Index}";
            var (state, message) = StatusBuilder.Lifecycle(replica);
            _journal.Record(id, state, message is null ? replica.ContainerName : $"{replica.ContainerName}: {message}", now);
            if (!replica.Running && replica.State != "created" && !_journal.HasLogsOf(id, replica.ContainerId))
            {
                _journal.SetLastLogLines(id, replica.ContainerId, await TailAsync(replica.ContainerId, cancellationToken).ConfigureAwait(false));
            }
        }

        return observed;
    }

    private async Task<IReadOnlyList<string>> TailAsync(string containerId, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        try
        {
            await foreach (var line in engine.GetLogsAsync(containerId, new LogOptions(Tail: InstanceJournal.LogLines), cancellationToken).ConfigureAwait(false))
            {
                lines.Add(line.Text);
            }
        }
        catch (EngineException)
        {
            // Gone already: no lines.
        }

        return lines.Count > InstanceJournal.LogLines ? lines[^InstanceJournal.LogLines..] : lines;
    }

    /// <summary>Remembers when the rollout to <paramref name="desired"/>'s hash last made progress (a new replica became ready).</summary>
    private RolloutTrack? TrackRollout(string slug, DesiredReplicas desired, IReadOnlyList<ObservedReplica> observed, DateTimeOffset now)
    {
        var stale = observed.Where(r => r.Running && r.SpecHash != desired.SpecHash && r.Index >= 0 && r.Index < desired.Count)
            .Select(r => r.SpecHash).Distinct().ToList();
        if (desired.Count == 0 || stale.Count == 0)
        {
            _rollouts.TryRemove(slug, out _);
            return null;
        }

        var readyNew = observed.Count(r => r.SpecHash == desired.SpecHash && r.Ready);
        return _rollouts.AddOrUpdate(
            slug,
            _ => new RolloutTrack(desired.SpecHash, stale, now, readyNew),
            (_, old) => old.ToHash != desired.SpecHash
                ? new RolloutTrack(desired.SpecHash, stale, now, readyNew)
                : old with { FromHashes = stale, LastProgress = readyNew > old.ReadyNew ? now : old.LastProgress, ReadyNew = readyNew });
    }

    private static RolloutStatus? Rollout(RolloutTrack? track, DesiredReplicas desired, ReconcilePlan plan, IReadOnlyList<ObservedReplica> observed)
    {
        if (track is null)
        {
            return null;
        }

        if (plan.Failure is not { } failure)
        {
            return new RolloutStatus("Progressing", track.ToHash, track.FromHashes, track.LastProgress, null);
        }

        var stuck = observed.FirstOrDefault(r => r.SpecHash == desired.SpecHash && !r.Ready);
        var why = stuck is null ? string.Empty : $"; new replica {stuck.Index}: {StatusBuilder.Lifecycle(stuck).Message ?? stuck.State}";
        var probe = stuck?.Health is { } h ? (h.Startup?.LastMessage is { } s && h.Health == ReplicaHealth.Starting ? $" (startup probe: {s})" : h.Readiness?.LastMessage is { } r ? $" (last readiness result: {r})" : string.Empty) : string.Empty;
        return new RolloutStatus("Failed", track.ToHash, track.FromHashes, track.LastProgress, failure.Reason + why + probe);
    }

    private TimeSpan? RecheckAfter(DeploymentStatus status, DateTimeOffset? backoff, string? error)
    {
        if (backoff is { } until)
        {
            var wait = until - time.GetUtcNow();
            return wait < options.ProgressRecheck ? options.ProgressRecheck : wait;
        }

        if (error is not null)
        {
            return ErrorRecheck;
        }

        return status.State is DeploymentState.Progressing or DeploymentState.Degraded ? options.ProgressRecheck : null;
    }

    private DeploymentStatus Build(string slug, CatalogEntry? entry, DesiredReplicas desired, IReadOnlyList<ObservedReplica> observed, string? error, DateTimeOffset? backoff, RolloutStatus? rollout = null, string? gpuWait = null) =>
        StatusBuilder.Build(new StatusBuilder.Input(
            slug,
            entry,
            desired,
            observed,
            error,
            backoff,
            entry?.Spec is { } spec ? NotActedOn.For(spec, secretResolvable) : [],
            options.EndpointFor(slug),
            time.GetUtcNow())
        {
            Journal = _journal,
            Rollout = rollout,
            GpuWait = gpuWait,
            Volumes = secrets?.Volumes?.StatusOf(slug) ?? [],
            Pull = _puller.Progress.Get(slug),
        });

    private async Task<string?> CreateAsync(DeploymentSpec spec, string hash, CreateReplica step, Secrets.SecretResolution resolution, IReadOnlyList<BindMount> binds, ConcurrentQueue<string> gpuWaits, CancellationToken cancellationToken)
    {
        string? id = null;
        GpuLease? lease = null;
        try
        {
            // GPUs are node-wide: the lease holds the GPU lock until this container exists and carries its GPU label.
            lease = gpus is null ? null : await gpus.AcquireAsync(spec.Slug, step.Index, spec.Resources.MachineType, cancellationToken).ConfigureAwait(false);
            if (lease?.WaitMessage is { } wait)
            {
                gpuWaits.Enqueue($"replica {step.Index} waits for GPUs: {wait}");
                return null;
            }

            var request = ContainerRequestFactory.Create(spec, hash, step, options, resolution, lease, binds);
            id = await engine.CreateContainerAsync(request, cancellationToken).ConfigureAwait(false);
            await engine.StartContainerAsync(id, cancellationToken).ConfigureAwait(false);
            LogCreated(spec.Slug, step.Index, request.Name, hash);
            return null;
        }
        catch (EngineException ex)
        {
            var message = $"replica {step.Index} could not be started: {GpuAssigner.Explain(ex.Message)}";
            LogCreateFailed(spec.Slug, step.Index, ex.Message);
            if (id is not null)
            {
                // A container that was created but never started would only confuse the next plan.
                await RemoveQuietlyAsync(id, cancellationToken).ConfigureAwait(false);
            }

            return message;
        }
        finally
        {
            lease?.Dispose();
        }
    }

    private async Task RemoveAsync(string slug, RemoveReplica step, CancellationToken cancellationToken)
    {
        var replica = step.Replica;
        try
        {
            if (replica.Running)
            {
                await engine.StopContainerAsync(replica.ContainerId, options.StopTimeout, cancellationToken).ConfigureAwait(false);
            }

            await engine.RemoveContainerAsync(replica.ContainerId, force: true, cancellationToken).ConfigureAwait(false);
            LogRemoved(slug, replica.Index, replica.ContainerName, step.Reason);
        }
        catch (EngineException ex)
        {
            LogRemoveFailed(slug, replica.ContainerName, ex.Message);
        }
    }

    private async Task StopAsync(string slug, StopReplica step, CancellationToken cancellationToken)
    {
        try
        {
            await engine.StopContainerAsync(step.Replica.ContainerId, options.StopTimeout, cancellationToken).ConfigureAwait(false);
            LogStopped(slug, step.Replica.Index, step.Replica.ContainerName, step.Reason);
        }
        catch (EngineException ex)
        {
            LogRemoveFailed(slug, step.Replica.ContainerName, ex.Message);
        }
    }

    private sealed record RolloutTrack(string ToHash, IReadOnlyList<string> FromHashes, DateTimeOffset LastProgress, int ReadyNew);

    private async Task RemoveQuietlyAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            await engine.RemoveContainerAsync(id, force: true, cancellationToken).ConfigureAwait(false);
        }
        catch (EngineException ex)
        {
            LogRemoveFailed("-", id, ex.Message);
        }
    }
}
