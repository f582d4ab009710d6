using LibGit2Sharp;
using LibGit2Sharp.Handlers;

namespace GradientNode.Core.Integrations;

/// <summary>
/// The credentials of one repository, given only to its own origin (scheme, host and port): libgit2 asks with the URL it
/// is about to authenticate against, so a redirect to another host gets nothing. The LFS client asks the same way.
/// </summary>
internal sealed class GitCredentials
{
    /// <summary>The user sent with a password when the spec gives none.</summary>
    public const string DefaultUser = "gradient";

    private readonly Uri? _origin;
    private readonly string? _username;
    private readonly string? _password;

    public GitCredentials(GitSource git)
    {
        ArgumentNullException.ThrowIfNull(git);
        if (git.Password is not null && HttpOrigin(git.Url) is { } origin)
        {
            _origin = origin;
            _username = git.Username ?? DefaultUser;
            _password = git.Password;
        }

        RefusedHint = git.CredentialsHint();
    }

    /// <summary>What a refusal of these credentials tells the user to check (<see cref="GitSource.CredentialsHint"/>).</summary>
    public string RefusedHint { get; }

    /// <summary>The user name and password for <paramref name="url"/>, or null when it is not the repository's origin.</summary>
    public (string Username, string Password)? For(string url) =>
        _origin is not null && HttpOrigin(url) is { } asked && SameOrigin(_origin, asked) ? (_username!, _password!) : null;

    /// <summary>The handler LibGit2Sharp calls; null (no credentials) for any other origin.</summary>
    public CredentialsHandler Provider(CancellationToken cancellationToken) => (url, _, _) =>
    {
        cancellationToken.ThrowIfCancellationRequested();
        return For(url) is var (user, password) ? new UsernamePasswordCredentials { Username = user, Password = password } : null;
    };

    /// <summary>Scheme, host and port of an http(s) URL (default ports made explicit); null for anything else.</summary>
    internal static Uri? HttpOrigin(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0
            ? new Uri($"{uri.Scheme}://{uri.Authority}/")
            : null;

    internal static bool SameOrigin(Uri a, Uri b) =>
        a.Scheme == b.Scheme && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;
}
