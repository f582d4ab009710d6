namespace GradientNode.Core.Integrations;

/// <summary>
/// What one collection pass removed, or with <see cref="DryRun"/> would remove (nothing is): dataset versions
/// (<c>NAME:VERSION</c>), staging folders of unfinished writes, shared file objects no version names, and integration-cache
/// folders (<c>volumes/cache/&lt;key&gt;</c>) no replica uses, and the empty datasets of failed legacy clones. <see cref="ObjectBytes"/> is the apparent size of those
/// objects; <see cref="FreedBytes"/> is what the disk gets back from all of it (allocated blocks, a hard-linked file once
/// and only when no name of it stays, see <see cref="Common.DiskUsage"/>); <see cref="Items"/> names each thing and why.
/// </summary>
public sealed record StorageGcReport(IReadOnlyList<string> Versions, int Staging, int Objects, IReadOnlyList<string> Cache, long ObjectBytes)
{
    public bool DryRun { get; init; }

    public long FreedBytes { get; init; }

    public IReadOnlyList<StorageGcItem> Items { get; init; } = [];

    /// <summary>Datasets a legacy repositories clone created that got no version and no deployment names any more.</summary>
    public IReadOnlyList<string> EmptyDatasets { get; init; } = [];
}
