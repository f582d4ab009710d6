using System.Globalization;
using System.Text.RegularExpressions;

namespace GradientNode.Daemon.Configuration;

/// <summary>Durations on the command line, in the environment and in node.yaml: <c>300</c> (seconds), <c>20s</c>, <c>5m</c>, <c>1m30s</c>, <c>500ms</c>, <c>1h</c>, <c>180d</c>.</summary>
internal static partial class DurationText
{
    /// <param name="max">The longest value accepted (a usage error above it), when the option has one.</param>
    public static TimeSpan Parse(string text, string option, bool allowZero = false, TimeSpan? max = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        TimeSpan? value = null;
        try
        {
            value = Read(trimmed);
        }
        catch (OverflowException)
        {
            // Past TimeSpan.MaxValue (about 29,000 years): a usage error like any other value that does not parse.
        }

        if (value > max)
        {
            throw new Cli.UsageException($"{option} is at most {max.Value.TotalHours:0.##}h, got '{text}'");
        }

        if (value == TimeSpan.Zero && !allowZero)
        {
            // `--timeout 0` parses: saying it "wants a duration such as 20s" called a duration not one.
            throw new Cli.UsageException($"{option} must be more than 0, got '{text}'");
        }

        return value is { } v && (v > TimeSpan.Zero || (allowZero && v == TimeSpan.Zero))
            ? v
            : throw new Cli.UsageException($"{option} wants a duration such as 20s, 5m or 1m30s{(allowZero ? " (0 allowed)" : string.Empty)}, got '{text}'");
    }

    private static TimeSpan? Read(string trimmed)
    {
        if (double.TryParse(trimmed, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        if (Pattern().Match(trimmed) is { Success: true } match && match.Length > 0)
        {
            var total = TimeSpan.Zero;
            foreach (Capture part in match.Groups["part"].Captures)
            {
                var unit = part.Value.TrimStart("0123456789.".ToCharArray());
                var number = double.Parse(part.Value[..^unit.Length], CultureInfo.InvariantCulture);
                total += unit switch
                {
                    "ms" => TimeSpan.FromMilliseconds(number),
                    "s" => TimeSpan.FromSeconds(number),
                    "m" => TimeSpan.FromMinutes(number),
                    "d" => TimeSpan.FromDays(number),
                    _ => TimeSpan.FromHours(number),
                };
            }

            return total;
        }

        return null;
    }

    [GeneratedRegex(@"^(?<part>\d+(\.\d+)?(ms|s|m|h|d))+\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
