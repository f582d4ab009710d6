using GradientNode.Core.Integrations;

namespace GradientNode.Tests.Workflows.Execution;

/// <summary>
/// A git fetcher whose first fetch writes a 512 GiB sparse file (minutes of hashing at the commit, long enough to stop the
/// daemon in it) and whose later fetches write a small one; it counts its fetches.
/// </summary>
internal sealed class HugeThenSmallGitFetcher : IIntegrationFetcher
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public bool Handles(VolumeSource source) => source is GitSource;

    public async Task FetchAsync(VolumeSource source, string target, FetchProgress progress, CancellationToken cancellationToken)
    {
        var path = Path.Combine(target, "disk.img");
        if (Interlocked.Increment(ref _calls) == 1)
        {
            using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            file.SetLength(512L << 30);
            return;
        }

        await File.WriteAllBytesAsync(path, [4, 5, 6], cancellationToken);
    }
}
