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

    /// <summary>A Docker log size: a whole number with an optional unit <c>k</c>, <c>m</c> or <c>g</c> (e.g. <c>10m</c>).</summary>
    public static string ParseSize(string text, string option) =>
        SizePattern().IsMatch(text) && !text.TrimEnd('k', 'm', 'g').All(c => c == '0')
            ? text
            : throw new UsageException($"{option} must be a size such as 10m, 512k or 1g, got '{text}'");

    [GeneratedRegex("^[0-9]{1,9}[kmg]?\\z")]
    private static partial Regex SizePattern();
}
