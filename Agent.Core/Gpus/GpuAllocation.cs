namespace GradientNode.Core.Gpus;

/// <summary>Whole GPUs for one replica, or why it must wait.</summary>
public sealed record GpuAllocation(IReadOnlyList<GpuDevice> Devices, string? WaitMessage)
{
    public bool Granted => WaitMessage is null;

    public static GpuAllocation None { get; } = new([], null);

    public static GpuAllocation Wait(string message) => new([], message);
}
