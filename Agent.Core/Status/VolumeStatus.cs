namespace GradientNode.Core.Status;

/// <summary>
/// One volume of a deployment's current version: <c>state</c> is ready, fetching or failed; progress while fetching;
/// <c>diskBytes</c> the space it takes on the node; <c>fetches</c> how many downloads this daemon ran for its content.
/// </summary>
public sealed record VolumeStatus
{
    public required string Field { get; init; }

    public required string Kind { get; init; }

    public required string MountPath { get; init; }

    public required bool ReadOnly { get; init; }

    public required string State { get; init; }

    public string? Message { get; init; }

    public long BytesDone { get; init; }

    public long BytesTotal { get; init; }

    public long FilesDone { get; init; }

    public long FilesTotal { get; init; }

    public long DiskBytes { get; init; }

    public int Fetches { get; init; }
}
