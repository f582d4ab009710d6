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

    public RegistryInfo ToInfo() => new(Name, Url, Username, Namespace, Modified);

    public override string ToString() => $"RegistryConnection {{ Name = {Name}, Url = {Url}, Username = {Username} }}";

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
