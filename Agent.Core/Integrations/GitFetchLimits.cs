namespace GradientNode.Core.Integrations;

/// <summary>
/// What a clone may put on the node's disk. A repository's server is its spec author's choice (a loopback server
/// included), so neither its pack nor its LFS objects are trusted to be small: the bytes a clone receives must fit the
/// free space its folder's disk had when the clone began, and the LFS objects' declared sizes together the free space
/// when they are fetched, as an S3 listing must (<see cref="S3Fetcher"/>). Past either the fetch fails saying the
/// node's disk is full for it, and what was written is removed.
/// </summary>
public sealed record GitFetchLimits
{
    public static readonly GitFetchLimits Default = new();

    /// <summary>The bytes free on the disk that holds a path (the nearest existing folder of it); a test's seam for a small disk.</summary>
    public Func<string, long> FreeSpace { get; init; } = Integrations.FreeSpace.Under;
}
