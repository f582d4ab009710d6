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

    /// <summary>
    /// A probe's <c>host</c> is sent as the <c>Host</c> header, so it must be what HttpClient sends: <c>HOST[:PORT]</c>
    /// (a name, an IPv4 or a bracketed IPv6 address). Before, <c>host: "my host"</c> passed and every probe then failed
    /// with a FormatException, so the replica never became ready.
    /// </summary>
    public static string? CheckHost(string host)
    {
        try
        {
            using var request = new System.Net.Http.HttpRequestMessage();
            request.Headers.Host = host;
            return null;
        }
        catch (FormatException)
        {
            return $"'{ValueReader.Shorten(host)}' is not a valid Host header: HOST or HOST:PORT (a name, an IPv4 address or a bracketed IPv6 address)";
        }
    }

    /// <summary>Never echoes the value: a header may carry a token.</summary>
    public static string? CheckValue(string value) =>
        value.Any(c => char.IsControl(c) && c != '\t')
            ? "must not contain line breaks or other control characters"
            : null;
}
