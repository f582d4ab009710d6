namespace GradientNode.Core.Datasets;

/// <summary>
/// What one pass over the store removed, or with a dry run would remove (<see cref="DatasetStore.Collect"/>): the versions,
/// the staging folders (by folder name, with their apparent size), the count and apparent size of the shared objects no
/// version names any more, and <see cref="FreedBytes"/>, what the disk gets back (<see cref="Common.DiskUsage"/>).
/// </summary>
public sealed record DatasetCollection(
    IReadOnlyList<DatasetVersion> Versions,
    IReadOnlyList<(string Folder, long Bytes)> Staging,
    int Objects,
    long ObjectBytes,
    long FreedBytes);
