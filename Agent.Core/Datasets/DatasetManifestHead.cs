using System.Text.Json;

namespace GradientNode.Core.Datasets;

/// <summary>
/// What a listing needs of a version (<see cref="DatasetStore.Versions"/>: id, date, message, bytes, files, source), read
/// from the head of its <c>manifest.json</c> without its entries: the store writes them last, so a listing costs the same
/// whatever a version holds. Before, every <c>datasets ls</c>/<c>versions</c> parsed every manifest whole: one version of
/// 500,000 files (a 70 MB manifest) made each call take about a second (adversary12). Null whenever the head does not
/// say it all (a small manifest, read whole as before; fields in another order; a head that does not parse; a file that
/// does not end as a manifest ends, e.g. one cut short): the caller then reads the manifest whole, and so still finds
/// it damaged.
/// </summary>
internal static class DatasetManifestHead
{
    /// <summary>A manifest this long or shorter is read whole (as cheap as its head); past it only the head and the last bytes are.</summary>
    public const int HeadBytes = 64 * 1024;

    private const int TailBytes = 16;

    public static DatasetManifest? TryRead(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        if (file.Length <= HeadBytes)
        {
            return null;
        }

        var tail = new byte[TailBytes];
        file.Seek(-TailBytes, SeekOrigin.End);
        file.ReadExactly(tail);
        if (!EndsAsAManifest(tail))
        {
            return null;
        }

        var head = new byte[HeadBytes];
        file.Seek(0, SeekOrigin.Begin);
        var read = file.ReadAtLeast(head, HeadBytes, throwOnEndOfStream: false);
        return Parse(head.AsSpan(0, read));
    }

    /// <summary>The fields before <c>"entries"</c> in <paramref name="head"/> (the start of a manifest), or null when they are not all there.</summary>
    public static DatasetManifest? Parse(ReadOnlySpan<byte> head)
    {
        var reader = new Utf8JsonReader(head, isFinalBlock: false, default);
        (string? Version, DateTimeOffset? Created, string? Message, long? Bytes, long? Files, string? Source, string? Write) seen = default;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("entries"u8))
                {
                    return seen is { Version: { } version, Created: { } created, Bytes: { } bytes, Files: { } files }
                        ? new DatasetManifest(version, created, seen.Message, bytes, files, seen.Source, seen.Write, [])
                        : null;
                }

                var name = reader.GetString();
                if (!reader.Read())
                {
                    return null;
                }

                var known = name switch
                {
                    "version" => Text(ref reader, out seen.Version),
                    "created" => reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var at) && (seen.Created = at) is not null,
                    "message" => Text(ref reader, out seen.Message),
                    "bytes" => reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var b) && (seen.Bytes = b) is not null,
                    "files" => reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var f) && (seen.Files = f) is not null,
                    "source" => Text(ref reader, out seen.Source),
                    "write" => Text(ref reader, out seen.Write),
                    _ => reader.TrySkip(),
                };
                if (!known)
                {
                    return null;
                }
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }

    /// <summary>A string, or null written as such.</summary>
    private static bool Text(ref Utf8JsonReader reader, out string? value)
    {
        value = reader.TokenType is JsonTokenType.String or JsonTokenType.Null ? reader.GetString() : null;
        return reader.TokenType is JsonTokenType.String or JsonTokenType.Null;
    }

    /// <summary>Whether the last bytes are those of a manifest's end: <c>]</c> and <c>}</c>, blanks around them.</summary>
    private static bool EndsAsAManifest(ReadOnlySpan<byte> tail)
    {
        var end = tail.TrimEnd(" \t\r\n"u8);
        if (end.IsEmpty || end[^1] != (byte)'}')
        {
            return false;
        }

        end = end[..^1].TrimEnd(" \t\r\n"u8);
        return !end.IsEmpty && end[^1] == (byte)']';
    }
}
