namespace GradientNode.Core.Datasets;

/// <summary>One file of a version: its path relative to the content folder ('/' separated), size and SHA-256 (hex).</summary>
public sealed record DatasetManifestEntry(string Path, long Size, string Sha256);
