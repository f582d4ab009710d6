using System.Globalization;

namespace GradientNode.Daemon.Configuration;

/// <summary>Sizes on the command line, in the environment and in node.yaml: <c>1048576</c> (bytes), <c>512K</c>, <c>20M</c>, <c>50G</c>, <c>1T</c> (also <c>KiB</c> … <c>TiB</c>; all powers of 1024).</summary>
internal static class ByteSizeText
{
    private static readonly (string Suffix, int Shift)[] Units =
        [("KiB", 10), ("MiB", 20), ("GiB", 30), ("TiB", 40), ("K", 10), ("M", 20), ("G", 30), ("T", 40), ("B", 0)];

    public static long Parse(string text, string option)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        var shift = 0;
        foreach (var (suffix, bits) in Units)
        {
            if (trimmed.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                trimmed = trimmed[..^suffix.Length].TrimEnd();
                shift = bits;
                break;
            }
        }

        return long.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0 && number <= long.MaxValue >> shift
            ? number << shift
            : throw new Cli.UsageException($"{option} wants a size such as 500M, 50G or a number of bytes, got '{text}'");
    }
}
