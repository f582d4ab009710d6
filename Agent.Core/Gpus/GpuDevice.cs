namespace GradientNode.Core.Gpus;

/// <summary>
/// One physical GPU as <c>nvidia-smi</c> reports it. Memory is in MiB, as nvidia-smi prints it with <c>nounits</c>;
/// the temperature (<c>temperature.gpu</c>) in degrees Celsius; a field nvidia-smi prints as <c>[N/A]</c> or <c>[Not Supported]</c> is null.
/// </summary>
public sealed record GpuDevice(
    int Index,
    string Uuid,
    string Name,
    long? MemoryTotalMiB,
    long? MemoryUsedMiB,
    int? UtilizationPercent,
    bool? PersistenceMode,
    int? TemperatureC = null)
{
    /// <summary>MIG device UUIDs (<c>MIG-…</c>) when MIG mode is on, from <c>nvidia-smi -L</c>; empty otherwise.</summary>
    public IReadOnlyList<string> MigDevices { get; init; } = [];

    /// <summary>What a container is given for this GPU: its MIG devices when MIG is on, else the GPU itself.</summary>
    public IReadOnlyList<string> VisibleDeviceIds => MigDevices.Count > 0 ? MigDevices : [Uuid];
}
