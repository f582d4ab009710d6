using GradientNode.Core.Gpus;

namespace GradientNode.Tests.Workflows.Execution;

/// <summary>An <c>nvidia-smi</c> that is not there: a box without GPUs.</summary>
internal sealed class NoGpuSmi : INvidiaSmi
{
    public Task<string?> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) => Task.FromResult<string?>(null);
}
