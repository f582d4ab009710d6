namespace GradientNode.Daemon.Configuration;

/// <summary>Where-to options on the command line, in the environment and in node.yaml: paths and the engine's address.</summary>
internal static class LocationText
{
    /// <summary>
    /// A path option made absolute. An empty one is a usage error naming the option (as written where it came from);
    /// before, <c>socket: ''</c> in node.yaml stopped the role with <c>The value cannot be an empty string.</c>
    /// </summary>
    public static string? FullPath(string? value, string flag) =>
        value is null ? null
        : string.IsNullOrWhiteSpace(value) ? throw new Cli.UsageException($"{flag} wants a path, got an empty value")
        : Path.GetFullPath(value);

    /// <summary>
    /// The engine address, checked with the engine client's rule (<c>DockerClientProvider.ToEndpoint</c>: <c>unix</c>,
    /// <c>tcp</c>, or <c>http</c> for tests) before any role starts; before, a bad one from node.yaml was found only
    /// after <c>up</c> had started its proxy, and named neither the file nor the key.
    /// </summary>
    public static string? DockerHost(string? host) =>
        host is null || (Uri.TryCreate(host, UriKind.Absolute, out var uri) && uri.Scheme is "unix" or "tcp" or "http")
            ? host
            : throw new Cli.UsageException($"--docker-host wants unix:///PATH or tcp://HOST:PORT, got '{host}'");
}
