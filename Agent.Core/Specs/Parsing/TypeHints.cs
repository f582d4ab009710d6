using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace GradientNode.Core.Specs.Parsing;

/// <summary>
/// What a type error of a number or boolean adds when what was written says what was meant: a quoted number or boolean
/// (<c>port: "8080"</c>, <c>enabled: "true"</c>: write it without quotes), a YAML 1.1 boolean (<c>yes</c>, <c>on</c>: YAML 1.2
/// reads only true and false) and a duration in a field that counts seconds (<c>timeoutSeconds: 5s</c>, a workflow's
/// <c>timeout: 1h</c>: write 5, 3600). Before, the error said only "expected an integer, got '5s'", and the user had to
/// find out which spelling the node wanted. Empty when there is nothing to add.
/// </summary>
internal static partial class TypeHints
{
    public static string Integer(YamlNode node, string field) => node switch
    {
        YamlScalarNode { Style: not ScalarStyle.Plain, Value: { } text } when IntPattern().IsMatch(text.Trim()) => $" (a number is written without quotes: {text.Trim()})",
        YamlScalarNode { Value: { } text } when CountsSeconds(field) && Seconds(text) is { } seconds && seconds == Math.Floor(seconds)
            => $" ({Last(field)} counts seconds: write {seconds.ToString(CultureInfo.InvariantCulture)})",
        _ => "",
    };

    public static string Number(YamlNode node, string field) => node switch
    {
        YamlScalarNode { Style: not ScalarStyle.Plain, Value: { } text } when double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            => $" (a number is written without quotes: {text.Trim()})",
        YamlScalarNode { Value: { } text } when CountsSeconds(field) && Seconds(text) is { } seconds
            => $" ({Last(field)} counts seconds: write {seconds.ToString(CultureInfo.InvariantCulture)})",
        _ => "",
    };

    public static string Boolean(YamlNode node) => node switch
    {
        YamlScalarNode { Style: not ScalarStyle.Plain, Value: { } text } when text.Trim().ToLowerInvariant() is "true" or "false"
            => $" (write it without quotes: {text.Trim().ToLowerInvariant()})",
        YamlScalarNode { Style: ScalarStyle.Plain, Value: { } text } when text.ToLowerInvariant() is "yes" or "y" or "on"
            => " (YAML 1.2 reads only true and false as booleans: write true)",
        YamlScalarNode { Style: ScalarStyle.Plain, Value: { } text } when text.ToLowerInvariant() is "no" or "n" or "off"
            => " (YAML 1.2 reads only true and false as booleans: write false)",
        _ => "",
    };

    private static string Last(string field) => field[(field.LastIndexOf('.') + 1)..];

    private static bool CountsSeconds(string field) =>
        Last(field).EndsWith("Seconds", StringComparison.Ordinal) || Last(field) == "timeout";

    /// <summary>The seconds of a duration such as <c>30s</c>, <c>5m</c>, <c>1h30m</c>, <c>500ms</c>; null for anything else.</summary>
    private static double? Seconds(string text)
    {
        var match = DurationPattern().Match(text.Trim());
        if (!match.Success)
        {
            return null;
        }

        var total = 0.0;
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var unit = UnitPattern().Match(part.Value);
            var amount = double.Parse(unit.Groups["n"].Value, CultureInfo.InvariantCulture);
            total += unit.Groups["u"].Value switch
            {
                "ms" => amount / 1000,
                "s" => amount,
                "m" => amount * 60,
                "h" => amount * 3600,
                _ => amount * 86400,
            };
        }

        return total;
    }

    [GeneratedRegex("^[-+]?[0-9]+\\z")]
    private static partial Regex IntPattern();

    [GeneratedRegex("^(?<part>[0-9]+(ms|s|m|h|d))+\\z")]
    private static partial Regex DurationPattern();

    [GeneratedRegex("^(?<n>[0-9]+)(?<u>ms|s|m|h|d)\\z")]
    private static partial Regex UnitPattern();
}
