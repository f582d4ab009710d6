namespace GradientNode.Core.Datasets;

/// <summary>
/// One committed, immutable version. <see cref="Id"/> is Gradient's <c>NAME:abc1234</c> form; <see cref="Tags"/> includes
/// <c>latest</c> on the newest one; <see cref="Source"/> is the content key of a version cloned from a deployment's
/// legacy <c>repositories</c> block (null for uploads and job outputs).
/// </summary>
public sealed record DatasetVersion(
    string Dataset,
    string Version,
    DateTimeOffset Created,
    string? Message,
    long Bytes,
    long Files,
    IReadOnlyList<string> Tags,
    string? Source)
{
    public string Id => $"{Dataset}:{Version}";

    /// <summary>Always true: the store shows only committed versions (Gradient's status field of the same name).</summary>
    public bool IsCommitted => true;
}
