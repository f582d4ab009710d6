namespace GradientNode.Daemon.Configuration;

/// <summary>
/// The listen URLs with the ports the proxy really bound: a URL that asked for port 0 (any free port) gets the port the
/// kernel chose, so that the endpoint in status and <c>ls</c> is one a client can use. The bound ports are known only
/// once the proxy listens, so only <c>up</c>, which starts its proxy before its daemon, resolves them.
/// </summary>
public static class BoundListenUrls
{
    /// <param name="listen">The listen URLs as configured.</param>
    /// <param name="bound">
    /// The addresses the proxy bound, one per listen URL and in the same order (Kestrel's server addresses); anything else
    /// leaves <paramref name="listen"/> as it is.
    /// </param>
    public static IReadOnlyList<string> Resolve(IReadOnlyList<string> listen, IReadOnlyList<string> bound)
    {
        if (listen.Count != bound.Count)
        {
            return listen;
        }

        var resolved = new string[listen.Count];
        for (var i = 0; i < listen.Count; i++)
        {
            resolved[i] = Parse(listen[i]) is { Port: 0 } asked && Parse(bound[i]) is { Port: > 0 } got
                ? new UriBuilder(asked) { Port = got.Port }.Uri.ToString()
                : listen[i];
        }

        return resolved;
    }

    private static Uri? Parse(string url) =>
        Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri)
            ? uri
            : null;
}
