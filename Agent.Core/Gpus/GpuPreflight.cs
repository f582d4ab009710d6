namespace GradientNode.Core.Gpus;

/// <summary>The node's GPU report and its warnings, from the inventory, the holders and dockerd's runtimes. Pure.</summary>
public static class GpuPreflight
{
    /// <summary>Binaries of the NVIDIA Container Toolkit; one of them on PATH means the hook is installed.</summary>
    public static IReadOnlyList<string> ToolkitBinaries { get; } = ["nvidia-container-runtime-hook", "nvidia-container-runtime", "nvidia-ctk"];

    public static IReadOnlyList<GpuNodeStatus> Gpus(GpuSnapshot snapshot, IReadOnlyDictionary<string, string> heldBy)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(heldBy);
        return [.. snapshot.Devices.Select(d => new GpuNodeStatus(
            d.Index, d.Uuid, d.Name, d.MemoryTotalMiB, d.MemoryUsedMiB, d.UtilizationPercent, d.PersistenceMode, d.MigDevices, heldBy.GetValueOrDefault(d.Uuid), d.TemperatureC))];
    }

    /// <summary>Warnings for <c>gradient-node node</c> and the log. None on a CPU box.</summary>
    public static IReadOnlyList<string> Warnings(GpuSnapshot snapshot, IReadOnlyList<string>? runtimes, bool toolkitOnPath)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var warnings = new List<string>();
        if (snapshot.Error is { } error)
        {
            warnings.Add($"nvidia-smi failed: {error}");
        }

        if (snapshot.Devices.Count == 0)
        {
            return warnings;
        }

        if (runtimes is not null && !runtimes.Contains(GpuAssigner.NvidiaRuntime, StringComparer.Ordinal))
        {
            warnings.Add("dockerd has no 'nvidia' runtime: GPUs are requested with DeviceRequests, which need the NVIDIA Container Toolkit "
                + "(run 'nvidia-ctk runtime configure --runtime=docker' and restart dockerd)");
        }

        if (!toolkitOnPath)
        {
            warnings.Add($"no NVIDIA Container Toolkit on PATH ({string.Join(", ", ToolkitBinaries)}): containers may not see their GPUs");
        }

        foreach (var device in snapshot.Devices.Where(d => d.PersistenceMode == false))
        {
            warnings.Add($"GPU {device.Index} ({device.Uuid}) has persistence mode off: run 'nvidia-smi -pm 1' (or enable nvidia-persistenced)");
        }

        return warnings;
    }

    /// <summary>True when one of <see cref="ToolkitBinaries"/> is on <paramref name="path"/>.</summary>
    public static bool ToolkitOnPath(string? path) =>
        (path ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => ToolkitBinaries.Any(bin => File.Exists(Path.Combine(dir, bin))));
}
