namespace GradientNode.Core.Datasets;

/// <summary>
/// A version being written: <see cref="ContentPath"/> is a fresh, empty, writable host folder on the store's file system
/// (mount it read-write, or fill it), committed by <see cref="DatasetStore.CommitAsync"/> or dropped by
/// <see cref="DatasetStore.Abort"/>. <see cref="Id"/> names the staging folder; a restarted daemon finds an open write again
/// with <see cref="DatasetStore.FindWrite"/> as long as a container still mounts it.
/// </summary>
public sealed record DatasetWrite(string Dataset, string Id, string ContentPath, string? Message);
