namespace GradientNode.Core.Gpus;

/// <summary>One GPU in <c>GET /v1/node</c>: what nvidia-smi said and which replica holds it.</summary>
public sealed record GpuNodeStatus(
    int Index,
    string Uuid,
    string Name,
    long? MemoryTotalMiB,
    long? MemoryUsedMiB,
    int? UtilizationPercent,
    bool? PersistenceMode,
    IReadOnlyList<string> MigDevices,
    string? HeldBy,
    int? TemperatureC = null);
