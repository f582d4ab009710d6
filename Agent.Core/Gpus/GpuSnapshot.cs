namespace GradientNode.Core.Gpus;

/// <summary>What nvidia-smi said at one moment.</summary>
/// <param name="Devices">The GPUs, by index; empty on a CPU box.</param>
/// <param name="HasNvidiaSmi">False when no nvidia-smi is on PATH: a CPU box, not an error.</param>
/// <param name="Error">Set when nvidia-smi exists but failed; the devices are then the last good ones.</param>
public sealed record GpuSnapshot(IReadOnlyList<GpuDevice> Devices, bool HasNvidiaSmi, string? Error, DateTimeOffset ObservedAt)
{
    public static GpuSnapshot Empty { get; } = new([], false, null, DateTimeOffset.MinValue);

    /// <summary>One line for <c>gradient-node node</c> when there is something to say.</summary>
    public string? Note => !HasNvidiaSmi
        ? "no nvidia-smi on PATH: this is a CPU box; machine types with GPUs wait"
        : Error is { } error ? $"nvidia-smi failed: {error}" : Devices.Count == 0 ? "nvidia-smi lists no GPUs" : null;
}
