using GradientNode.Core.Gpus;

namespace GradientNode.Core.Reconciliation;

/// <summary>GPUs from the node-wide <see cref="GpuAssigner"/>.</summary>
public sealed class AssignedGpus(GpuAssigner assigner) : IGpuGate
{
    public string? Validate(string machineType) => assigner.Validate(machineType);

    public async Task<GpuLease?> AcquireAsync(string slug, int index, string machineType, CancellationToken cancellationToken) =>
        await assigner.AcquireAsync(slug, index, machineType, cancellationToken).ConfigureAwait(false);

    public IReadOnlyList<string> Limits(string machineType) => assigner.Limits(machineType);

    public void Released() => assigner.NotifyFreed();
}
