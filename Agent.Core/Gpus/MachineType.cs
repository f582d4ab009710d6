namespace GradientNode.Core.Gpus;

/// <summary>
/// A product machine type: how many whole GPUs a replica gets, which model they should be (matched against
/// nvidia-smi's name, token by token), and the replica's CPU and memory limits.
/// </summary>
public sealed record MachineType(string Name, int Gpus, string? GpuModel, double Cpus, long MemoryBytes)
{
    public bool HasGpus => Gpus > 0;

    /// <summary>
    /// True when every token of <see cref="GpuModel"/> (split on spaces and dashes) is a token of
    /// <paramref name="deviceName"/>, ignoring case: "A100 80GB" matches "NVIDIA A100-SXM4-80GB". No model matches all.
    /// </summary>
    public bool Matches(string deviceName)
    {
        ArgumentNullException.ThrowIfNull(deviceName);
        if (GpuModel is null)
        {
            return true;
        }

        var tokens = Tokens(deviceName).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return Tokens(GpuModel).All(tokens.Contains);
    }

    private static string[] Tokens(string text) => text.Split([' ', '-', '_'], StringSplitOptions.RemoveEmptyEntries);
}
