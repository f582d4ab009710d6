namespace GradientNode.Core.Datasets;

/// <summary>A container that mounts a version: <see cref="User"/> names it for people (<c>deployment 'web' replica 0</c>).</summary>
public sealed record DatasetUse(string Dataset, string Version, string User, bool Running);
