namespace GradientNode.Core.Specs.Parsing;

/// <summary>
/// A probe header must be sendable: its name an HTTP token (RFC 9110), its value free of line breaks and other control
/// characters. Otherwise the probe would drop the header or fail on every attempt.
/// </summary>
internal static class HeaderRules
{
    private const string TokenSymbols = "!#$%&'*+-.^_`|~";

    public static string? CheckName(string name) =>
        name.All(c => char.IsAsciiLetterOrDigit(c) || TokenSymbols.Contains(c, StringComparison.Ordinal))
            ? null
            : $"'{ValueReader.Shorten(name)}' is not a valid HTTP header name (letters, digits and {TokenSymbols} only)";

    /// <summary>Never echoes the value: a header may carry a token.</summary>
    public static string? CheckValue(string value) =>
        value.Any(c => char.IsControl(c) && c != '\t')
            ? "must not contain line breaks or other control characters"
            : null;
}
