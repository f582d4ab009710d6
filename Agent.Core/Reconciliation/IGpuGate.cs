using GradientNode.Core.Gpus;

namespace GradientNode.Core.Reconciliation;

/// <summary>GPUs for new replicas: checks a machine type before a version starts and leases GPUs per replica.</summary>
public interface IGpuGate
{
    /// <summary>Why <paramref name="machineType"/> cannot run here, or null.</summary>
    string? Validate(string machineType);

    /// <summary>The replica's lease (held until its container exists), or null when GPUs are not managed.</summary>
    Task<GpuLease?> AcquireAsync(string slug, int index, string machineType, CancellationToken cancellationToken);

    /// <summary>What replicas of <paramref name="machineType"/> get less of than the type says (the host has less), for status.</summary>
    IReadOnlyList<string> Limits(string machineType) => [];

    /// <summary>A replica's container was stopped or removed: whoever waits for GPUs looks again now.</summary>
    void Released()
    {
    }
}
