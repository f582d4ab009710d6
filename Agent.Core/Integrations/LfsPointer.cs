using System.Globalization;
using System.Text;

namespace GradientNode.Core.Integrations;

/// <summary>
/// A Git LFS pointer file as <c>git lfs</c> writes it (spec v1): <c>version https://git-lfs.github.com/spec/v1</c>,
/// <c>oid sha256:HEX</c>, <c>size N</c>, one <c>key value</c> per line, at most 1024 bytes.
/// </summary>
internal sealed record LfsPointer(string Oid, long Size)
{
    public const int MaxPointerBytes = 1024;
    private const string Version = "version https://git-lfs.github.com/spec/v1";

    /// <summary>The pointer in <paramref name="path"/>, or null when the file is not one.</summary>
    public static LfsPointer? Read(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null || !info.Exists || info.Length > MaxPointerBytes || info.Length < Version.Length)
        {
            return null;
        }

        return Parse(File.ReadAllBytes(path));
    }

    public static LfsPointer? Parse(ReadOnlySpan<byte> content)
    {
        if (content.Length > MaxPointerBytes || content.IndexOf((byte)0) >= 0)
        {
            return null;
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(content);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }

        var lines = text.Split('\n');
        if (lines.Length < 4 || lines[0] != Version || lines[^1].Length != 0)
        {
            return null;
        }

        string? oid = null;
        long? size = null;
        foreach (var line in lines[1..^1])
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space <= 0)
            {
                return null;
            }

            var (key, value) = (line[..space], line[(space + 1)..]);
            if (key == "oid" && value.StartsWith("sha256:", StringComparison.Ordinal) && value.Length == 7 + 64 && value[7..].All(char.IsAsciiHexDigitLower))
            {
                oid = value[7..];
            }
            else if (key == "size" && value.Length is > 0 and <= 19 && value.All(char.IsAsciiDigit) && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                size = n;
            }
            else if (!key.StartsWith("ext-", StringComparison.Ordinal))
            {
                return null;
            }
        }

        return oid is not null && size is { } length ? new LfsPointer(oid, length) : null;
    }
}
