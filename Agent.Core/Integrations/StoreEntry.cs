namespace GradientNode.Core.Integrations;

/// <summary>A model or a dataset of the node's local stores: its immutable versions (oldest first) and their total size.</summary>
public sealed record StoreEntry(string Name, IReadOnlyList<string> Versions, string? Latest, long Bytes, long Files);
