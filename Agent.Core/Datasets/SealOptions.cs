namespace GradientNode.Core.Datasets;

/// <summary>
/// How <see cref="DatasetContent.SealAsync"/> seals: the clock that spaces its progress reports (monotonic), who hears
/// them, the holes the sparse files of one version may have together (<see cref="ContentHasher.DefaultMaxHoleBytes"/>), and
/// the entries (files, folders, and what is left out) its walk may meet (<see cref="DatasetContent.DefaultMaxEntries"/>).
/// </summary>
internal sealed record SealOptions(TimeProvider Time, Action<DatasetCommitProgress>? Progress, long MaxHoleBytes, int MaxEntries = DatasetContent.DefaultMaxEntries);
