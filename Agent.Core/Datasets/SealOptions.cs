namespace GradientNode.Core.Datasets;

/// <summary>
/// How <see cref="DatasetContent.SealAsync"/> seals: the clock that spaces its progress reports (monotonic), who hears
/// them, and the holes the sparse files of one version may have together (<see cref="ContentHasher.DefaultMaxHoleBytes"/>).
/// </summary>
internal sealed record SealOptions(TimeProvider Time, Action<DatasetCommitProgress>? Progress, long MaxHoleBytes);
