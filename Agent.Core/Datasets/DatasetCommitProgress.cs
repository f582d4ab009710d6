namespace GradientNode.Core.Datasets;

/// <summary>How far a commit's hashing is: <see cref="Done"/> of <see cref="Total"/> bytes (the files' apparent sizes, holes included).</summary>
public sealed record DatasetCommitProgress(long Done, long Total);
