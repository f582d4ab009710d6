using System.Text.RegularExpressions;

namespace GradientNode.Core.Specs.Parsing;

/// <summary>
/// Git URLs and refs from a spec reach git's command line, so they are checked at parse time: no value may
/// start with '-' (an option) or hold whitespace or control characters; URLs use http(s), ssh, git or file
/// (or are an absolute path, or scp-like <c>user@host:path</c>); refs follow <c>git check-ref-format</c>.
/// Messages never echo the value (a URL may carry credentials, which are refused).
/// </summary>
internal static partial class GitRules
{
    public const int MaxRefLength = 255;

    private static readonly string[] Schemes = ["https", "http", "ssh", "git", "file"];

    /// <summary>The credential fields of a repository and of a <c>git-checkout@v1</c> action.</summary>
    public const string RepositoryCredentials = "`username: USER` and `password: secret:NAME`";

    /// <summary>The credential fields of a <c>git-lfs</c> integration.</summary>
    public const string IntegrationCredentials = "`accessKeyId: USER` and `secretAccessKey: secret:NAME`";

    /// <summary>
    /// Null when <paramref name="url"/> is an acceptable repository address, else why not. A password written into the
    /// URL (<c>https://user:PASSWORD@host/…</c>) is refused: anyone who reads the spec (the socket group, a git history of
    /// the specs) would read it; <paramref name="credentials"/> names the fields that take it from a secret instead.
    /// </summary>
    public static string? CheckUrl(string url, string credentials = RepositoryCredentials)
    {
        if (TextRules.Unsafe(url) is { } problem)
        {
            return problem;
        }

        if (url.Contains("://", StringComparison.Ordinal)
            && Uri.TryCreate(url, UriKind.Absolute, out var withUser) && withUser.UserInfo.Contains(':', StringComparison.Ordinal))
        {
            return "must not hold a password (user:PASSWORD@ in the URL): whoever reads the spec would read it; "
                + $"store it with `gradient-node secrets set NAME` and write {credentials} beside the URL instead";
        }

        if (url.StartsWith('/'))
        {
            return null;
        }

        if (url.Contains("://", StringComparison.Ordinal))
        {
            return Uri.TryCreate(url, UriKind.Absolute, out var uri) && Schemes.Contains(uri.Scheme)
                && (uri.Scheme == "file" || uri.Host.Length > 0)
                ? null
                : $"must be a git URL with scheme {string.Join(", ", Schemes)}, an absolute path, or user@host:path";
        }

        return ScpLike().IsMatch(url)
            ? null
            : $"must be a git URL with scheme {string.Join(", ", Schemes)}, an absolute path, or user@host:path";
    }

    /// <summary>Null when <paramref name="reference"/> is a branch, tag or commit name git accepts, else why not.</summary>
    public static string? CheckRef(string reference)
    {
        if (TextRules.Unsafe(reference) is { } problem)
        {
            return problem;
        }

        if (reference.Length > MaxRefLength)
        {
            return $"must be at most {MaxRefLength} characters";
        }

        var bad = reference.IndexOfAny(['~', '^', ':', '?', '*', '[', '\\']) >= 0
            || reference.Contains("..", StringComparison.Ordinal)
            || reference.Contains("@{", StringComparison.Ordinal)
            || reference.Contains("//", StringComparison.Ordinal)
            || reference is "@"
            || reference.StartsWith('/') || reference.EndsWith('/') || reference.EndsWith('.')
            || reference.EndsWith(".lock", StringComparison.Ordinal)
            || reference.Split('/').Any(part => part.StartsWith('.'));
        return bad ? "must be a branch, tag or commit name (see git check-ref-format)" : null;
    }

    /// <summary><c>[user@]host:path</c> as git reads it: no '/' before the first ':', and not <c>transport::address</c>.</summary>
    [GeneratedRegex(@"^(?:[A-Za-z0-9._~%+-]+@)?[A-Za-z0-9][A-Za-z0-9.-]*:(?!:)\S*\z")]
    private static partial Regex ScpLike();
}
