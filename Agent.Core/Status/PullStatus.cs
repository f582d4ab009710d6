using System.Globalization;

namespace GradientNode.Core.Status;

/// <summary>
/// An image pull in progress: layers seen and finished (pulled or already present), and the download bytes summed over
/// the layers whose size the registry told (so <see cref="BytesTotal"/> can grow while layers start).
/// </summary>
public sealed record PullStatus
{
    public required string Image { get; init; }

    public int LayersDone { get; init; }

    public int LayersTotal { get; init; }

    public long BytesDone { get; init; }

    public long BytesTotal { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    /// <summary>One line for messages, e.g. <c>ns/repo:1 12.3 MB of 45.6 MB (3/7 layers)</c>.</summary>
    public string Describe()
    {
        var layers = string.Create(CultureInfo.InvariantCulture, $"({LayersDone}/{LayersTotal} layers)");
        return BytesTotal > 0 ? $"{Image} {Megabytes(BytesDone)} of {Megabytes(BytesTotal)} {layers}" : $"{Image} {layers}";
    }

    private static string Megabytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1_000_000.0:0.0} MB");
}
