using System.Globalization;
using System.Text.RegularExpressions;
using GradientNode.Daemon.Cli;

namespace GradientNode.Daemon.Configuration;

/// <summary>Parses the whole numbers and Docker sizes of the resource-limit options; bad text is a usage error naming the option.</summary>
internal static partial class ContainerLimitsText
{
    public static int ParseCount(string text, string option, int min) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min
            ? value
            : throw new UsageException($"{option} must be a whole number of at least {min}, got '{text}'");

    /// <summary>
    /// A Docker log size: a whole number with an optional unit <c>k</c>, <c>m</c> or <c>g</c> in either case, or
    /// <c>KiB</c>/<c>MiB</c>/<c>GiB</c> as the node's other sizes take them (e.g. <c>10m</c>, <c>10M</c>, <c>10MiB</c>), given to
    /// Docker as <c>10m</c>. Before, <c>10M</c> and <c>1G</c> were refused although <c>--model-upload-limit</c> takes them.
    /// </summary>
    public static string ParseSize(string text, string option)
    {
        var match = SizePattern().Match(text);
        return match.Success && !match.Groups["n"].Value.All(c => c == '0')
            ? match.Groups["n"].Value + match.Groups["u"].Value.ToLowerInvariant()
            : throw new UsageException($"{option} must be a size such as 10m, 512k or 1g, got '{text}'");
    }

    [GeneratedRegex("^(?<n>[0-9]{1,9})(?:(?<u>[kmgKMG])(?:[iI][bB])?)?\\z")]
    private static partial Regex SizePattern();
}
