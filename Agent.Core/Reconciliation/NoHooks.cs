using GradientNode.Core.Gpus;
using GradientNode.Core.Integrations;
using GradientNode.Core.Secrets;
using GradientNode.Core.Specs;
using GradientNode.Core.Status;

namespace GradientNode.Core.Reconciliation;

/// <summary>
/// The hook that does nothing, for each reconciler hook a node (or a test) can go without: no managed GPUs, no
/// secrets, no volumes, no autoscaler (the spec's <c>replicas</c>), no proxy to drain.
/// </summary>
public sealed class NoHooks : IGpuGate, IVersionSecrets, IVersionVolumes, IReplicaCount, IDrainWait
{
    public static NoHooks Instance { get; } = new();

    public TimeSpan Timeout => TimeSpan.Zero;

    public string? Validate(string machineType) => null;

    public Task<GpuLease?> AcquireAsync(string slug, int index, string machineType, CancellationToken cancellationToken) => Task.FromResult<GpuLease?>(null);

    public SecretResolution Resolve(DeploymentSpec spec, string versionHash) => SecretResolution.None;

    public void Forget(string slug)
    {
    }

    public MaterializeResult Prepare(DeploymentSpec spec, string version, SecretResolution secrets) => MaterializeResult.None;

    public IReadOnlyList<VolumeStatus> StatusOf(string slug) => [];

    public void Release(string slug)
    {
    }

    public int DesiredFor(DeploymentSpec spec) => spec.Resources.Replicas;

    public Task<long> WaitAsync(string slug, IReadOnlyList<ObservedReplica> leaving, DateTimeOffset leftRotationAt, CancellationToken cancellationToken) => Task.FromResult(0L);
}
