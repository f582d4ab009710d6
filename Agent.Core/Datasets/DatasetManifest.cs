namespace GradientNode.Core.Datasets;

/// <summary>
/// <c>versions/&lt;id&gt;/manifest.json</c>: what a version holds, written into the staging folder before the rename that
/// commits it, so a version folder without one is never a version. <see cref="Entries"/> lists every file with its size
/// and SHA-256 (the name of its shared object). <see cref="Write"/> is the id of the write it was committed from (null in
/// versions made before it was kept), so that committing that write again, after a restart, finds this version
/// (<see cref="DatasetStore.CommitAsync"/>); it comes before the entries, so a listing's head read sees it.
/// </summary>
public sealed record DatasetManifest(
    string Version,
    DateTimeOffset Created,
    string? Message,
    long Bytes,
    long Files,
    string? Source,
    string? Write,
    IReadOnlyList<DatasetManifestEntry> Entries);
