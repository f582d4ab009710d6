using System.Globalization;

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

    /// <summary>
    /// One line for messages, e.g. <c>integrations[weights] 12.3 MB of 45.6 MB (1/4 files)</c>; without a known total (a git
    /// clone before its LFS objects are listed) only what arrived so far.
    /// </summary>
    public string Describe()
    {
        var total = BytesTotal > 0 ? string.Create(CultureInfo.InvariantCulture, $" of {BytesTotal / 1_000_000.0:0.0} MB") : string.Empty;
        var files = FilesTotal > 1 ? string.Create(CultureInfo.InvariantCulture, $" ({FilesDone}/{FilesTotal} files)") : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"{Field} {BytesDone / 1_000_000.0:0.0} MB{total}{files}");
    }
}
