using GradientNode.Daemon.Cli;

namespace GradientNode.Daemon.Configuration;

/// <summary>
/// The proxy's listen URLs, checked with the other settings before any role starts: each an absolute <c>http://</c> or
/// <c>https://</c> URL with a port Kestrel can bind, none twice. Before, <c>listen: 8080</c> (or <c>127.0.0.1:8080</c>, or
/// port 99999) ended <c>up</c> with an unhandled <see cref="UriFormatException"/> and its stack trace (exit 134), and a URL
/// written twice stopped the start with Kestrel's "address already in use", as if another program held the port.
/// </summary>
internal static class ListenUrlText
{
    /// <summary><paramref name="urls"/> unchanged when each is one; else a usage error starting with <c>--listen</c>.</summary>
    public static IReadOnlyList<string> Check(IReadOnlyList<string> urls)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var url in urls)
        {
            if (!IsUrl(url))
            {
                throw new UsageException($"--listen wants a URL such as http://0.0.0.0:8080 or https://0.0.0.0:8443, got '{url}'{Hint(url)}");
            }

            if (!seen.Add(url.TrimEnd('/')))
            {
                throw new UsageException($"--listen names {url} twice; give each address once");
            }
        }

        return urls;
    }

    private static bool IsUrl(string url) =>
        Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && !string.IsNullOrEmpty(uri.Host);

    /// <summary>What was likely meant: a bare port or <c>HOST:PORT</c> without its scheme.</summary>
    private static string Hint(string url)
    {
        if (int.TryParse(url, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535)
        {
            return $" (did you mean http://0.0.0.0:{port}?)";
        }

        return !url.Contains("://", StringComparison.Ordinal) && IsUrl("http://" + url) ? $" (did you mean http://{url}?)" : "";
    }
}
