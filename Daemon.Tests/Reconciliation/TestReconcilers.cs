using GradientNode.Core.Engine;
using GradientNode.Core.Reconciliation;
using GradientNode.Core.Registries;
using GradientNode.Core.Secrets;
using GradientNode.Core.Status;
using Microsoft.Extensions.Logging.Abstractions;

namespace GradientNode.Tests.Reconciliation;

/// <summary>Builds a <see cref="DeploymentReconciler"/> from its rooms, with a no-op for every hook a test leaves out.</summary>
internal static class TestReconcilers
{
    public static DeploymentReconciler Create(
        IContainerEngine engine,
        TimeProvider clock,
        string state,
        ReplicaJournal? journal = null,
        IVersionSecrets? secrets = null,
        RegistryStore? registries = null,
        ReconcilerOptions? options = null,
        SlotCounters? counters = null,
        LeavingReplicas? leaving = null)
    {
        leaving ??= new LeavingReplicas();
        options ??= new ReconcilerOptions();
        journal ??= new ReplicaJournal();
        var puller = new ImagePuller(engine, registries, new PullProgressTracker(clock), clock);
        var hasher = new VersionHasher(new RestartGenerations(state));
        return new DeploymentReconciler(
            new DeploymentObserver(new ReplicaObserver(engine, options), [new CredentialsHashOverlay(hasher.ComputeBeforeCredentials), leaving], journal, engine, clock),
            new VersionPreparer(NoHooks.Instance, secrets ?? NoHooks.Instance, NoHooks.Instance, puller, journal, NullLogger<VersionPreparer>.Instance),
            new PlanExecutor(engine, NoHooks.Instance, NoHooks.Instance, journal, options, clock, NullLogger<PlanExecutor>.Instance, replaced: leaving),
            new RolloutTracker(NullLogger<RolloutTracker>.Instance),
            hasher,
            NoHooks.Instance,
            journal,
            options,
            _ => true,
            clock,
            counters);
    }

    /// <summary>Secrets from snapshots of <paramref name="state"/>'s secret store.</summary>
    public static IVersionSecrets Snapshots(string state) => new SnapshotSecrets(new SecretSnapshots(new SecretStore(state), state));
}
