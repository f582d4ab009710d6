using GradientNode.Core.Catalog;
using GradientNode.Core.Common;
using GradientNode.Core.Specs;
using GradientNode.Core.Status;

namespace GradientNode.Core.Reconciliation;

/// <summary>
/// Reconciles one deployment as a short sequence: desired count, observe (<see cref="DeploymentObserver"/>),
/// track the rollout (<see cref="RolloutTracker"/>) or a first version's wait for a ready replica
/// (<see cref="FirstVersionTracker"/>), plan (<see cref="ReconcilePlanner"/>), prepare the version
/// (<see cref="VersionPreparer"/>), execute (<see cref="PlanExecutor"/>), observe again and report the status.
/// Errors of the pieces become status, so one deployment never blocks another.
/// </summary>
public sealed class DeploymentReconciler(
    DeploymentObserver observer,
    VersionPreparer preparer,
    PlanExecutor executor,
    RolloutTracker rollouts,
    VersionHasher hasher,
    IReplicaCount scale,
    ReplicaJournal journal,
    ReconcilerOptions options,
    Func<SecretRef, bool> secretResolvable,
    TimeProvider time,
    SlotCounters? counters = null)
{
    private static readonly TimeSpan ErrorRecheck = TimeSpan.FromSeconds(15);
    private readonly StartRetries _starts = new();

    /// <summary>
    /// The timeline of what this reconciler times itself (start retries, rollout progress, a first version's wait): monotonic.
    /// A step back of the wall clock held a failed deployment's next attempt back by as much.
    /// </summary>
    private readonly SteadyClock _steady = new(time);
    private readonly FirstVersionTracker _first = new();
    private readonly ReplicaCap _cap = new(options.MaxReplicas);
    private readonly RemovalGrace _removals = new(options.RemovalGrace);
    private readonly SlotCounters _counters = counters ?? new SlotCounters();

    /// <summary>
    /// The deployments the replica journal (<see cref="ReplicaJournal.Slugs"/>) or the slot counters
    /// (<see cref="SlotCounters.Slugs"/>) remember: the resync looks at each, and forgets one that no longer exists.
    /// </summary>
    public IReadOnlyCollection<string> RememberedSlugs => [.. journal.Slugs.Union(_counters.Slugs, StringComparer.Ordinal)];

    /// <param name="removal">An explicit delete, and the token that calls a draining removal off (<see cref="RemovalSignals"/>).</param>
    public async Task<ReconcileOutcome> ReconcileAsync(string slug, CatalogEntry? entry, CancellationToken cancellationToken, Action<DeploymentStatus>? onProgress = null, RemovalSignals? removal = null)
    {
        removal ??= RemovalSignals.None;
        var spec = entry?.Spec;
        var hash = spec is null ? string.Empty : hasher.Compute(spec);
        var desired = spec switch
        {
            null => DesiredReplicas.None("deployment removed"),
            { IsDisabled: true } => DesiredReplicas.Idle(spec)!,
            _ => new DesiredReplicas(scale.DesiredFor(spec), hash) { ProbesHash = ProbesHasher.Compute(spec.HealthChecks) },
        };
        var port = spec?.Resources.FirstPort ?? 80;
        var observed = await observer.ObserveAsync(slug, spec, hash, port, cancellationToken).ConfigureAwait(false);
        if (entry is { Spec: null })
        {
            // Never valid: leave whatever runs alone (nothing is lost to a typo) and report the errors.
            return new ReconcileOutcome(Build(slug, entry, DesiredReplicas.None("invalid"), observed, null, null), null);
        }

        var now = time.GetUtcNow();
        var steady = _steady.Now;
        if (_removals.Hold(slug, entry is not null, removal.OnPurpose, observed.Any(r => r.Running && r.Ready), steady) is { } left)
        {
            // Its spec is gone, maybe for a moment: nothing is stopped or taken out of rotation yet; looked at again when the grace ends.
            return new ReconcileOutcome(Serving(slug, observed, $"spec removed: its replicas keep serving for {Math.Ceiling(left.TotalSeconds):0} s more in case it comes back (an editor's save, a checkout), then they stop"), left);
        }

        // An old replica whose stop an earlier pass began (LeavingReplicas) is planned as gone already: it is not stopped twice.
        var planned = observed.Where(r => !r.Leaving).ToList();
        (desired, var asked, var capWait) = Admit(slug, desired, planned);
        // The rollout's progress is tracked on the steady timeline and placed on the wall clock as its age before now: a
        // step forward of the wall clock (past --progress-deadline) failed a healthy rollout, a step back let a stuck one run on.
        var tracked = rollouts.Track(slug, desired, observed, steady);
        var track = tracked is null ? null : tracked with { LastProgress = now - (steady - tracked.LastProgress) };
        desired = desired with { ProgressDeadline = options.ProgressDeadline, RolloutProgressAt = track?.LastProgress };
        // A slot whose container vanished behind the node's back (docker rm -f) restarts with its counters carried on.
        _counters.Remember(slug, hash, ReplicaSlots.Kept(desired.Count, planned), planned);
        var plan = _counters.Carry(slug, hash, ReconcilePlanner.Plan(desired, planned, now), planned, now);
        var ready = observed.Count(r => r.Ready && r.IsCurrent(hash));
        // The version whose start attempts are paced: the spec hash and the probes' hash, so that a change of healthChecks
        // alone (a rollout of its own) tries at once, as any other edit of the spec does. Before, it waited out the backoff.
        var version = desired.ProbesHash is { } probes ? $"{hash}+{probes}" : hash;
        var retry = plan.Creates.Any() ? _starts.Waiting(slug, version, ready, _steady.Now) : null;
        if (retry is not null)
        {
            // Replicas that failed to start are tried once per backoff step: this pass (a resync, an event) only observes.
            plan = plan with { Steps = [.. plan.Steps.Where(step => step is not CreateReplica)] };
        }

        var preparation = await preparer.PrepareAsync(spec, hash, desired, plan, now, cancellationToken).ConfigureAwait(false);
        if (PlanExecutor.Leaving(plan) is { Count: > 0 } leaving)
        {
            // Take leaving replicas out of rotation before they are stopped; they drain while new ones start.
            var ids = leaving.Select(l => l.Replica.ContainerId).ToHashSet(StringComparer.Ordinal);
            var interim = observed.Select(r => ids.Contains(r.ContainerId) ? r with { Ready = false, Leaving = true } : r).ToList();
            onProgress?.Invoke(Build(slug, entry, desired, interim, preparation.Error, null, RolloutTracker.Describe(track, desired, plan, observed)));
        }

        var execution = await executor.ExecuteAsync(slug, spec, hash, plan, preparation, now, cancellationToken, spec is null ? removal.CalledOff : CancellationToken.None).ConfigureAwait(false);
        if (execution.CalledOff)
        {
            // Its spec came back while the replicas drained: the pass that follows (already asked for) plans with it.
            observed = await observer.ObserveAsync(slug, spec, hash, port, cancellationToken).ConfigureAwait(false);
            return new ReconcileOutcome(Serving(slug, observed, "removal called off: its spec is back"), options.ProgressRecheck);
        }

        if (execution.Error is { } failed)
        {
            retry = _starts.Failed(slug, version, ready, failed, _steady.Now);
        }

        var error = preparation.Error ?? retry?.Describe(_steady.Now, time.GetUtcNow());
        if (!plan.Steps.All(step => step is WaitBackoff or RolloutFailed))
        {
            observed = await observer.ObserveAsync(slug, spec, hash, port, cancellationToken).ConfigureAwait(false);
        }

        var backoff = plan.Steps.OfType<WaitBackoff>().Select(w => (DateTimeOffset?)w.Until).Min();
        var firstSince = _first.Since(slug, desired, observed, _steady.Now) is { } waiting ? time.GetUtcNow() - (_steady.Now - waiting) : (DateTimeOffset?)null;
        var shown = asked is { } count ? desired with { Count = count } : desired;
        var status = Build(slug, entry, shown, observed, error, backoff, RolloutTracker.Describe(track, desired, plan, observed), capWait ?? execution.GpuWait, firstSince);
        // An instance with no container at an index the deployment does not keep (removed by hand, scaled down) is
        // forgotten; one at a kept index keeps its history across the container it gets next.
        journal.Prune(slug, Remembered(slug, desired.Count, observed));
        if (entry is null && observed.Count == 0)
        {
            _cap.Release(slug);
            preparer.Forget(slug);
            hasher.Forget(slug);
            _starts.Forget(slug);
            _first.Forget(slug);
            _counters.Forget(slug);
            return new ReconcileOutcome(null, null);
        }

        // A deployment waiting for room is looked at again as one with an error is, not every second.
        return new ReconcileOutcome(status, RecheckAfter(status, Earliest(backoff - time.GetUtcNow(), retry?.NextAttempt - _steady.Now), error ?? capWait, firstSince is not null));
    }

    /// <summary>The instances whose journal entries stay: those with a container, and the indexes the deployment keeps (<see cref="ReplicaSlots"/>).</summary>
    private static HashSet<string> Remembered(string slug, int count, IReadOnlyList<ObservedReplica> observed) =>
        new(ReplicaSlots.Kept(count, observed).Concat(observed.Select(r => r.Index)).Select(index => $"{slug}-{index}"), StringComparer.Ordinal);

    /// <summary>
    /// Bounds <paramref name="desired"/> by <see cref="ReplicaCap"/>: what the node admits, and when that is less than the
    /// deployment asked for, the count it asked for (its status shows it) and the status message naming the setting.
    /// </summary>
    private (DesiredReplicas Admitted, int? Asked, string? Wait) Admit(string slug, DesiredReplicas desired, IReadOnlyList<ObservedReplica> observed)
    {
        if (desired.Count == 0)
        {
            _cap.Release(slug);
            return (desired, null, null);
        }

        // Replicas, not containers: a rollout's new replica beside its old one at the same index is one.
        var serving = observed.Where(r => r.Running && !r.Leaving && r.Index >= 0).Select(r => r.Index).Distinct().Count();
        var admitted = _cap.Admit(slug, desired.Count, serving);
        return admitted < desired.Count
            ? (desired with { Count = admitted }, desired.Count, _cap.Describe(admitted, ReplicaSlots.Refused(desired.Count, admitted, observed)))
            : (desired, null, null);
    }

    /// <summary>
    /// The sooner of two waits, each measured on its own clock: a crash backoff ends at a wall time (it counts from the
    /// container's exit, which Docker stamps on the wall clock), a start retry on <see cref="_steady"/>.
    /// </summary>
    private static TimeSpan? Earliest(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : a < b ? a : b;

    private TimeSpan? RecheckAfter(DeploymentStatus status, TimeSpan? backoff, string? error, bool waitingForFirstReady)
    {
        if (backoff is { } wait)
        {
            return wait < options.ProgressRecheck ? options.ProgressRecheck : wait;
        }

        if (error is not null)
        {
            return ErrorRecheck;
        }

        // A first version failed past its progress deadline is still tried: it is looked at again until a replica is ready.
        return status.State is DeploymentState.Progressing or DeploymentState.Degraded || (waitingForFirstReady && status.State == DeploymentState.Failed)
            ? options.ProgressRecheck
            : null;
    }

    /// <summary>
    /// The status of a deployment without a spec whose replicas still serve (<see cref="RemovalGrace"/>): enabled, so the
    /// proxy keeps routing to the ready ones with the protection it last published. Its desired count is the replicas it
    /// keeps running meanwhile (not 0, which read "0 desired" beside replicas that serve, and counted none of them ready).
    /// </summary>
    private DeploymentStatus Serving(string slug, IReadOnlyList<ObservedReplica> observed, string message) =>
        Build(slug, null, DesiredReplicas.None("deployment removed") with { Count = observed.Where(r => r.Running).Select(r => r.Index).Distinct().Count() }, observed, null, null) with
        {
            State = DeploymentState.Progressing,
            Message = message,
            Enabled = true,
        };

    private DeploymentStatus Build(string slug, CatalogEntry? entry, DesiredReplicas desired, IReadOnlyList<ObservedReplica> observed, string? error, DateTimeOffset? backoff, RolloutStatus? rollout = null, string? gpuWait = null, DateTimeOffset? neverReadySince = null) =>
        StatusBuilder.Build(new StatusBuilder.Input(
            slug,
            entry,
            desired,
            observed,
            error,
            backoff,
            entry?.Spec is { } spec ? [.. NotActedOn.For(spec, secretResolvable), .. preparer.LimitsOf(spec)] : [],
            options.EndpointFor(slug),
            time.GetUtcNow())
        {
            Journal = journal,
            Rollout = rollout,
            GpuWait = gpuWait,
            Volumes = preparer.VolumesOf(slug),
            Pull = preparer.PullOf(slug),
            ImageWarning = preparer.ImageWarningOf(slug, desired.SpecHash),
            NeverReadySince = neverReadySince,
        });
}
