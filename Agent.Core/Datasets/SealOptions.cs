namespace GradientNode.Core.Datasets;

/// <summary>
/// How <see cref="DatasetContent.SealAsync"/> seals: the clock that spaces its progress reports (monotonic), who hears
/// them, and the holes one sparse file may have (<see cref="ContentHasher.DefaultMaxHoleBytes"/>).
/// </summary>
internal sealed record SealOptions(TimeProvider Time, Action<DatasetCommitProgress>? Progress, long MaxHoleBytes);
