using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace GradientNode.Daemon.Security;

/// <summary>
/// Kestrel's limits on the API socket, stated here rather than left to defaults that could change under us: how many
/// connections (the members' cap plus root's reserve, <see cref="SocketConnectionLimit"/>), how long and how large a
/// request's headers may be, and how large a body (endpoints that stream an upload lift it and bound it themselves;
/// spec bodies stop at 1 MiB read, <c>BoundedBody</c>). docs/reference/api.md, "Limits".
/// </summary>
internal static class ApiSocketLimits
{
    /// <summary>A request's headers must arrive within this (the CLI sends them in one write).</summary>
    public static readonly TimeSpan RequestHeadersTimeout = TimeSpan.FromSeconds(10);

    /// <summary>An idle connection between requests is closed after this (Kestrel's default, stated).</summary>
    public static readonly TimeSpan KeepAliveTimeout = TimeSpan.FromSeconds(130);

    public const int MaxRequestHeadersTotalSize = 32 * 1024;

    public const int MaxRequestLineSize = 8 * 1024;

    /// <summary>A request body's cap unless its endpoint lifts it (model and dataset uploads, capped by <c>--model-upload-limit</c>).</summary>
    public const long MaxRequestBodySize = 30_000_000;

    public static void Apply(KestrelServerLimits limits, SocketConnectionLimit connections)
    {
        limits.MaxConcurrentConnections = connections.KestrelCap;
        limits.MaxConcurrentUpgradedConnections = connections.KestrelCap;
        limits.RequestHeadersTimeout = RequestHeadersTimeout;
        limits.KeepAliveTimeout = KeepAliveTimeout;
        limits.MaxRequestHeadersTotalSize = MaxRequestHeadersTotalSize;
        limits.MaxRequestLineSize = MaxRequestLineSize;
        limits.MaxRequestBodySize = MaxRequestBodySize;
    }
}
