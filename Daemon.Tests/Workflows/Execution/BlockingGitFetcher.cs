using GradientNode.Core.Integrations;
using GradientNode.Tests.Infrastructure;

namespace GradientNode.Tests.Workflows.Execution;

/// <summary>
/// A git fetcher whose first fetch writes a partial file and then blocks until its token is cancelled (the daemon
/// dying mid-fetch, which a real clone cannot be made to do on demand); later fetches write the whole content.
/// </summary>
internal sealed class BlockingGitFetcher : IIntegrationFetcher
{
    private readonly TaskCompletionSource _blocked = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _calls;

    /// <summary>Completes once the first fetch is under way.</summary>
    public Task Blocked => _blocked.Task;

    public int Calls => Volatile.Read(ref _calls);

    public bool Handles(VolumeSource source) => source is GitSource;

    public async Task FetchAsync(VolumeSource source, string target, FetchProgress progress, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _calls) == 1)
        {
            await File.WriteAllTextAsync(Path.Combine(target, "partial.txt"), "half", cancellationToken);
            _blocked.TrySetResult();
            await TestTimeouts.BlockUntilCancelledAsync(cancellationToken);
        }

        await File.WriteAllTextAsync(Path.Combine(target, "README.md"), "whole", cancellationToken);
    }
}
