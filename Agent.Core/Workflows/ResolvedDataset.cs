namespace GradientNode.Core.Workflows;

/// <summary>A committed dataset version: its id (<c>name:abc1234</c>) and the host folder of its files (mounted read-only).</summary>
public sealed record ResolvedDataset(string Id, string ContentPath);
