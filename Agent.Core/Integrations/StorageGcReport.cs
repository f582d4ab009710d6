namespace GradientNode.Core.Integrations;

/// <summary>
/// What one collection pass removed: dataset versions (<c>NAME:VERSION</c>), staging folders of unfinished writes, shared
/// file objects no version names, and integration-cache folders (<c>volumes/cache/&lt;key&gt;</c>) no replica uses.
/// </summary>
public sealed record StorageGcReport(IReadOnlyList<string> Versions, int Staging, int Objects, IReadOnlyList<string> Cache, long ObjectBytes);
