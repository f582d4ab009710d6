namespace GradientNode.Core.Gpus;

/// <summary>
/// Reads what <c>nvidia-smi -L</c> said inside a GPU container. Pure. The markers are the messages nvidia-smi prints when
/// NVML cannot reach the device (known output; not yet checked on a GPU box): "Failed to initialize NVML: Unknown Error"
/// (the container lost its device access, e.g. after <c>systemctl daemon-reload</c> with the systemd cgroup driver),
/// "Unable to determine the device handle for GPU …: GPU is lost", "… has fallen off the bus", and "NVIDIA-SMI has
/// failed because it couldn't communicate with the NVIDIA driver". Exit status 15 ("the GPU has fallen off the bus or
/// has otherwise become inaccessible" in the nvidia-smi man page) counts too.
/// </summary>
public static class GpuLossMatcher
{
    /// <summary>nvidia-smi's exit status for a GPU that fell off the bus or became inaccessible.</summary>
    public const int InaccessibleExitCode = 15;

    /// <summary>What runs in the container.</summary>
    public static IReadOnlyList<string> Command { get; } = ["nvidia-smi", "-L"];

    /// <summary>Text in nvidia-smi's output that means the container cannot use its GPU any more.</summary>
    public static IReadOnlyList<string> Markers { get; } =
    [
        "Failed to initialize NVML",
        "Unable to determine the device handle",
        "GPU is lost",
        "fallen off the bus",
        "couldn't communicate with the NVIDIA driver",
    ];

    private const int MaxDetail = 200;

    /// <summary>
    /// "GPU lost: &lt;the first line with a marker&gt;" when <paramref name="output"/> (or exit status 15) says the GPU is
    /// gone; null when nvidia-smi answered normally or failed for another reason (an unrelated failure is no GPU loss).
    /// </summary>
    public static string? LostReason(int exitCode, string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var line = output.Split('\n')
            .Select(l => l.Trim())
            .FirstOrDefault(l => Markers.Any(m => l.Contains(m, StringComparison.OrdinalIgnoreCase)));
        if (line is not null)
        {
            return $"GPU lost: {(line.Length > MaxDetail ? line[..MaxDetail] : line)}";
        }

        return exitCode == InaccessibleExitCode
            ? $"GPU lost: nvidia-smi exited with {InaccessibleExitCode} (the GPU has fallen off the bus or is otherwise inaccessible)"
            : null;
    }

    /// <summary>
    /// True when the exec could not start nvidia-smi because the image has none, e.g. dockerd's
    /// <c>OCI runtime exec failed: exec failed: unable to start container process: exec: "nvidia-smi": executable file not found in $PATH: unknown</c>
    /// (exit status 126). Such a container is not checked again.
    /// </summary>
    public static bool IsMissingNvidiaSmi(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Contains("executable file not found", StringComparison.OrdinalIgnoreCase)
            || (text.Contains("nvidia-smi", StringComparison.Ordinal) && text.Contains("no such file or directory", StringComparison.OrdinalIgnoreCase));
    }
}
