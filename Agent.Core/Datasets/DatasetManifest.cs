namespace GradientNode.Core.Datasets;

/// <summary>
/// <c>versions/&lt;id&gt;/manifest.json</c>: what a version holds, written into the staging folder before the rename that
/// commits it, so a version folder without one is never a version. <see cref="Entries"/> lists every file with its size
/// and SHA-256 (the name of its shared object).
/// </summary>
public sealed record DatasetManifest(
    string Version,
    DateTimeOffset Created,
    string? Message,
    long Bytes,
    long Files,
    string? Source,
    IReadOnlyList<DatasetManifestEntry> Entries);
