namespace GradientNode.Core.Gpus;

/// <summary>Runs <c>nvidia-smi</c>; a seam so tests can hand in its output.</summary>
public interface INvidiaSmi
{
    /// <summary>
    /// Runs nvidia-smi with <paramref name="arguments"/> and returns its stdout; null when no nvidia-smi is on PATH
    /// (a CPU box). Throws <see cref="NvidiaSmiException"/> when it runs but fails.
    /// </summary>
    Task<string?> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken);
}
