namespace GradientNode.Core.Datasets;

/// <summary>
/// Which versions a gc pass removes (pure): of each dataset, every version that is not among the
/// <c>keep</c> newest, carries no tag (so never the newest, which carries <c>latest</c>), and no container mounts.
/// </summary>
public static class DatasetGcRules
{
    public static IReadOnlyList<DatasetVersion> Collectable(IReadOnlyList<DatasetVersion> newestFirst, int keep, IReadOnlySet<string> inUse)
    {
        ArgumentNullException.ThrowIfNull(newestFirst);
        ArgumentNullException.ThrowIfNull(inUse);
        return [.. newestFirst.Skip(Math.Max(1, keep)).Where(v => v.Tags.Count == 0 && !inUse.Contains(v.Id))];
    }
}
