using System.Collections.Concurrent;
using GradientNode.Core.Common;
using GradientNode.Core.Engine;
using GradientNode.Core.Gpus;
using GradientNode.Core.Networking;
using GradientNode.Core.Specs;
using GradientNode.Core.Status;
using Microsoft.Extensions.Logging;

namespace GradientNode.Core.Reconciliation;

/// <summary>
/// Executes a <see cref="ReconcilePlan"/> in three phases, each in parallel: dead containers out, new replicas in,
/// then (after the drain) the replicas leaving rotation out. Journals every replica it touches. Engine errors
/// become the result's error, never an exception. Creating-and-starting one replica, and removing one container, each
/// take one of <see cref="ReconcilerOptions.EngineConcurrency"/> node-wide slots (first come, first served), so a big
/// rollout neither piles every container on dockerd at once nor starves the probes and the API. With
/// <see cref="LeavingReplicas"/>, the old replicas a rollout replaces are stopped past the end of the pass (drained first,
/// as every leaving replica), so the next index rolls while they take their grace.
/// </summary>
public sealed partial class PlanExecutor(
    IContainerEngine engine,
    IGpuGate gpus,
    IDrainWait drainer,
    ReplicaJournal journal,
    ReconcilerOptions options,
    TimeProvider time,
    ILogger<PlanExecutor> logger,
    EngineEchoes? echoes = null,
    IReplicaNetwork? network = null,
    NodeStopStore? stops = null,
    LeavingReplicas? replaced = null)
{
    private readonly FifoLimiter _engineSlots = new(options.EngineConcurrency);

    /// <summary>The node-wide slots for create/start and remove calls (tests look at how many are held).</summary>
    internal FifoLimiter EngineSlots => _engineSlots;

    /// <summary>The running replicas the plan takes out of rotation (removed or stopped), with why.</summary>
    public static IReadOnlyList<(ObservedReplica Replica, string Reason)> Leaving(ReconcilePlan plan) =>
        [.. plan.Removes.Where(r => r.Replica.Running).Select(r => (r.Replica, r.Reason)).Concat(plan.Stops.Select(s => (s.Replica, s.Reason)))];

    /// <summary>
    /// Runs the plan. New replicas are created only when <paramref name="preparation"/> is ready; the error of the
    /// first one that could not start, and the first GPU wait, come back.
    /// </summary>
    /// <param name="calledOff">
    /// Cancelled when the deployment's spec is published again while the replicas leaving rotation drain (a removal whose
    /// spec came back): those not stopped yet are left running, and the result says <see cref="Execution.CalledOff"/>.
    /// </param>
    public async Task<Execution> ExecuteAsync(string slug, DeploymentSpec? spec, string hash, ReconcilePlan plan, Preparation preparation, DateTimeOffset now, CancellationToken cancellationToken, CancellationToken calledOff = default)
    {
        var leaving = Leaving(plan);
        var started = time.GetTimestamp(); // the drain counts on the monotonic clock: a step back of the wall clock stretched it by as much
        var drainFor = leaving.Any(l => l.Replica.Ready) ? options.DrainTime : TimeSpan.Zero;
        foreach (var (replica, reason) in leaving)
        {
            journal.Record($"{slug}-{replica.Index}", "stopping", $"{replica.ContainerName}: {reason}", now);
        }

        foreach (var create in plan.Creates)
        {
            journal.Record($"{slug}-{create.Index}", "pending", create.Restarts > 0 ? $"restart {create.Restarts}" : null, now);
        }

        await Task.WhenAll(plan.Removes.Where(r => !r.Replica.Running).Select(r => RemoveAsync(slug, r, cancellationToken))).ConfigureAwait(false);
        string? error = null;
        var gpuWaits = new ConcurrentQueue<string>();
        if (preparation.Ready && spec is not null)
        {
            // GPUs go in index order: replica 0 runs and replica 1 waits, whichever network lookup ended first.
            var creates = plan.Creates.OrderBy(c => c.Index).ToList();
            var turns = creates.Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
            var failures = await Task.WhenAll(creates.Select((c, i) => CreateAsync(spec, hash, c, preparation, gpuWaits, i == 0 ? Task.CompletedTask : turns[i - 1].Task, turns[i], cancellationToken))).ConfigureAwait(false);
            error = failures.FirstOrDefault(f => f is not null);
        }

        if (!await DrainAsync(slug, leaving, drainFor, started, now, cancellationToken, calledOff).ConfigureAwait(false))
        {
            // The spec came back while they drained: the replicas still running stay, the next pass plans with the spec.
            LogRemovalCalledOff(slug, leaving.Count);
            return new Execution(error, gpuWaits.Order(StringComparer.Ordinal).FirstOrDefault()) { CalledOff = true };
        }

        if (replaced is not null)
        {
            // Out of rotation and drained: the pass need not wait for an app that ignores SIGTERM before the next index rolls.
            foreach (var step in plan.Removes.Where(r => r.Replica.Running && r.Replaced))
            {
                replaced.Begin(step.Replica.ContainerId, () => RemoveAsync(slug, step, cancellationToken));
            }
        }

        await Task.WhenAll(plan.Removes.Where(r => r.Replica.Running && !(r.Replaced && replaced is not null)).Select(r => RemoveAsync(slug, r, cancellationToken))
            .Concat(plan.Stops.Select(s => StopAsync(slug, s, cancellationToken)))).ConfigureAwait(false);
        return new Execution(error, gpuWaits.Order(StringComparer.Ordinal).FirstOrDefault());
    }

    /// <summary>The drain of the replicas leaving rotation; false when <paramref name="calledOff"/> fired before they were stopped.</summary>
    private async Task<bool> DrainAsync(string slug, IReadOnlyList<(ObservedReplica Replica, string Reason)> leaving, TimeSpan drainFor, long started, DateTimeOffset now, CancellationToken cancellationToken, CancellationToken calledOff)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, calledOff);
        try
        {
            var drain = drainFor - time.GetElapsedTime(started);
            if (drain > TimeSpan.Zero)
            {
                await Task.Delay(drain, time, either.Token).ConfigureAwait(false);
            }

            if (leaving.Where(l => l.Replica.Ready).Select(l => l.Replica).ToList() is { Count: > 0 } draining)
            {
                // Then until the proxy has none of their requests in flight (a long generation finishes), bounded.
                var stillInFlight = await drainer.WaitAsync(slug, draining, now, either.Token).ConfigureAwait(false);
                if (stillInFlight > 0)
                {
                    LogDrainTimedOut(slug, stillInFlight, drainer.Timeout.TotalSeconds);
                }
            }
        }
        catch (OperationCanceledException) when (calledOff.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        return !calledOff.IsCancellationRequested || leaving.Count == 0;
    }

    /// <param name="previousTurn">Done once the replica before this one (by index) asked for its GPUs, or gave up before.</param>
    /// <param name="turn">Set once this replica asked for its GPUs, or gave up before: the next one asks then.</param>
    private async Task<string?> CreateAsync(DeploymentSpec spec, string hash, CreateReplica step, Preparation preparation, ConcurrentQueue<string> gpuWaits, Task previousTurn, TaskCompletionSource turn, CancellationToken cancellationToken)
    {
        GpuLease? lease = null;
        try
        {
            // The node's replica network (made when missing) first: without it a replica would be reachable past the proxy.
            var placement = network is null ? ReplicaNetworkChoice.DefaultBridge : await network.EnsureAsync(cancellationToken).ConfigureAwait(false);
            if (placement.Error is { } networkError)
            {
                LogCreateFailed(spec.Slug, step.Index, networkError);
                return $"replica {step.Index} could not be started: {networkError}";
            }

            // GPUs are node-wide: the lease holds the GPU lock until this container exists and carries its GPU label.
            await previousTurn.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                lease = await gpus.AcquireAsync(spec.Slug, step.Index, spec.Resources.MachineType, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                turn.TrySetResult();
            }

            if (lease?.WaitMessage is { } wait)
            {
                gpuWaits.Enqueue($"replica {step.Index} waits for GPUs: {wait}");
                return null;
            }

            var request = ContainerRequestFactory.Create(spec, hash, step, options, preparation.Secrets, lease, preparation.Volumes.Binds) with
            {
                NetworkMode = placement.NetworkMode,
                InspectedImage = preparation.Image, // the label check reads it: one image inspect per create
            };
            using (await _engineSlots.EnterAsync(cancellationToken).ConfigureAwait(false))
            {
                // One slot for both calls: a replica created is started next, not after every other create queued.
                await CreateAndStartOnTheNetworkAsync(request, cancellationToken).ConfigureAwait(false);
            }

            LogCreated(spec.Slug, step.Index, request.Name, hash);
            return null;
        }
        catch (EngineException ex)
        {
            // The engine may echo what it was sent (an env value, a command line): the version's secret values never show.
            var said = EngineFailure.Redact(EngineFailure.Describe(ex), preparation.Secrets.Values.Values);
            var message = $"replica {step.Index} could not be started: {GpuAssigner.Explain(said)}";
            LogCreateFailed(spec.Slug, step.Index, said);
            return message;
        }
        finally
        {
            turn.TrySetResult(); // a replica that never asked (no network, cancelled) holds no later one back
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
                await StopGracefullyAsync(slug, replica, cancellationToken).ConfigureAwait(false);
            }

            using (await _engineSlots.EnterAsync(cancellationToken).ConfigureAwait(false))
            {
                await engine.RemoveContainerAsync(replica.ContainerId, force: true, cancellationToken).ConfigureAwait(false);
            }

            stops?.Forget(replica.ContainerId);
            LogRemoved(slug, replica.Index, replica.ContainerName, step.Reason);
            gpus.Released();
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
            // First, so that the reason is known even if the daemon stops before the container does.
            stops?.Record(slug, step.Replica.ContainerId, step.Reason, time.GetUtcNow());
            await StopGracefullyAsync(slug, step.Replica, cancellationToken).ConfigureAwait(false);
            LogStopped(slug, step.Replica.Index, step.Replica.ContainerName, step.Reason);
            gpus.Released();
        }
        catch (EngineException ex)
        {
            LogRemoveFailed(slug, step.Replica.ContainerName, ex.Message);
        }
    }

    /// <summary>
    /// SIGTERM, then SIGKILL after <see cref="ReconcilerOptions.StopTimeout"/> (the engine's stop). A stop that took the
    /// whole grace ended in a kill, which is logged (event 1013): before, an app that ignores SIGTERM made every rollout
    /// and scale-down wait the grace and cut its requests, and nothing said why.
    /// </summary>
    private async Task StopGracefullyAsync(string slug, ObservedReplica replica, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        await engine.StopContainerAsync(replica.ContainerId, options.StopTimeout, cancellationToken).ConfigureAwait(false);
        if (time.GetElapsedTime(started) >= options.StopTimeout)
        {
            LogKilledAfterGrace(slug, replica.Index, replica.ContainerName, options.StopTimeout.TotalSeconds);
        }
    }

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
