using GradientNode.Core.Common;

namespace GradientNode.Core.Registries;

/// <summary>
/// Which registry host an image or a connection names, for the rule that a connection's credentials go only to its own
/// host. Docker Hub has one name (<see cref="DockerHub"/>) however it is written (no registry part, <c>docker.io</c>,
/// <c>index.docker.io</c>, <c>registry-1.docker.io</c>, <c>registry.hub.docker.com</c>); hosts compare as
/// <c>host[:port]</c>, case-insensitively, with the scheme's default port left out.
/// </summary>
public static class RegistryHost
{
    public const string DockerHub = "docker.io";

    private static readonly string[] DockerHubAliases = ["docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"];

    /// <summary>The registry host of an image reference, or null when the reference does not parse.</summary>
    public static string? OfImage(string image)
    {
        if (!ImageReference.TryParse(image, out var reference))
        {
            return null;
        }

        if (reference.Registry is not { } registry)
        {
            return DockerHub;
        }

        // An explicit :443 is the https default that a connection URL leaves out.
        var host = registry.EndsWith(":443", StringComparison.Ordinal) ? registry[..^4] : registry;
        return Normalize(host);
    }

    /// <summary>The registry host of a connection URL (with or without scheme and path), or null when it is not an address.</summary>
    public static string? OfConnectionUrl(string url)
    {
        if (RegistryConnection.ParseUrl(url) is not { } uri)
        {
            return null;
        }

        var host = uri.HostNameType == UriHostNameType.IPv6 ? $"[{uri.IdnHost.Trim('[', ']')}]" : uri.IdnHost;
        return Normalize(uri.IsDefaultPort ? host : $"{host}:{uri.Port}");
    }

    /// <summary>True when <paramref name="image"/> lives on the registry that <paramref name="connectionUrl"/> names.</summary>
    public static bool Matches(string connectionUrl, string image) =>
        OfConnectionUrl(connectionUrl) is { } connection && OfImage(image) is { } target && string.Equals(connection, target, StringComparison.OrdinalIgnoreCase);

    private static string Normalize(string host)
    {
        var lower = host.ToLowerInvariant();
        return DockerHubAliases.Contains(lower, StringComparer.Ordinal) ? DockerHub : lower;
    }
}
