namespace GradientNode.Core.Integrations;

/// <summary>
/// The integration-cache folders one collection pass removed (or would remove), the apparent size of each (same order),
/// and the bytes the disk gets back.
/// </summary>
public sealed record CacheCollection(IReadOnlyList<string> Folders, IReadOnlyList<long> Sizes, long FreedBytes);
