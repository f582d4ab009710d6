using System.Text.RegularExpressions;

namespace GradientNode.Core.Registries;

/// <summary>
/// A stored registry connection (<c>containerRegistry: NAME</c> in a spec). <see cref="ToString"/> never prints the
/// password; only the pull and <see cref="RegistryTester"/> read it.
/// </summary>
public sealed partial record RegistryConnection(string Name, string Url, string Username, string Password, string? Namespace, DateTimeOffset Modified)
{
    public const string NameRule = "a registry name starts with a letter or digit followed by letters, digits, '_', '-' or '.' (at most 128)";

    public static bool IsValidName(string name) => name.Length is > 0 and <= 128 && NamePattern().IsMatch(name);

    /// <summary>The registry's base URI: the URL as given, or without a scheme, https (http for loopback hosts, as dockerd does).</summary>
    public Uri BaseUri => ParseUrl(Url) ?? throw new InvalidOperationException($"registry '{Name}' has an unusable url");

    /// <summary>host[:port], as Docker names a registry in X-Registry-Auth.</summary>
    public string ServerAddress => BaseUri.IsDefaultPort ? BaseUri.Host : $"{BaseUri.Host}:{BaseUri.Port}";

    /// <summary>What listings show; a user-info part (<c>user:password@</c>) of a connection stored before such URLs were refused shows as <c>***@</c>.</summary>
    public RegistryInfo ToInfo() => new(Name, RedactedUrl(Url), Username, Namespace, Modified);

    public override string ToString() => $"RegistryConnection {{ Name = {Name}, Url = {Url}, Username = {Username} }}";

    /// <summary>
    /// Why <paramref name="url"/> cannot be a connection's URL, or null when it can. A URL that carries a user or password
    /// (<c>https://ci:pw@host</c>) is refused without being repeated: it would show in every listing and message, and the
    /// credentials belong in <c>--username</c> and standard input. A query or fragment means nothing to a registry.
    /// </summary>
    public static string? UrlProblem(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (ParseUrl(url) is not { } uri)
        {
            return $"url '{RedactedUrl(url)}' is not a registry address (e.g. https://registry.example.com or 127.0.0.1:5000)";
        }

        if (uri.UserInfo.Length > 0)
        {
            return $"url '{RedactedUrl(url)}' carries a user or password before '@' (not repeated here): give the user with --username and the password on standard input (--password-stdin)";
        }

        return uri.Query.Length > 0 || uri.Fragment.Length > 0 || url.Contains('?', StringComparison.Ordinal) || url.Contains('#', StringComparison.Ordinal)
            ? $"url '{url}' has a query or fragment ('?' or '#'); a registry address is [scheme://]host[:port]"
            : null;
    }

    /// <summary><paramref name="url"/> with anything before an '@' in its authority replaced by <c>***</c>.</summary>
    public static string RedactedUrl(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var start = schemeEnd < 0 ? 0 : schemeEnd + 3;
        var end = url.IndexOfAny(['/', '?', '#'], start);
        var at = url[start..(end < 0 ? url.Length : end)].LastIndexOf('@');
        return at < 0 ? url : url[..start] + "***" + url[(start + at)..];
    }

    public static Uri? ParseUrl(string url)
    {
        var text = url.Trim().TrimEnd('/');
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            var host = text.Split('/')[0].Split(':')[0];
            var loopback = host is "localhost" || host.StartsWith("127.", StringComparison.Ordinal) || host == "[::1]";
            text = (loopback ? "http://" : "https://") + text;
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0 ? uri : null;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]*\\z")]
    private static partial Regex NamePattern();
}
