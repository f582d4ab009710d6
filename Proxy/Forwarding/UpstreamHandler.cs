using System.Diagnostics;
using System.Net;
using GradientNode.Proxy.Hosting;
using Yarp.ReverseProxy.Forwarder;

namespace GradientNode.Proxy.Forwarding;

/// <summary>
/// The one HTTP handler to all replicas: direct connections (no proxy, redirects, cookies or decompression), a
/// short connect timeout, pooled connections recycled every few minutes — what YARP's client factory set per
/// cluster, now shared (the pool is per replica address anyway).
/// </summary>
internal static class UpstreamHandler
{
    public static SocketsHttpHandler Create(ProxyOptions options) => new()
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        EnableMultipleHttp2Connections = true,
        ActivityHeadersPropagator = new ReverseProxyPropagator(DistributedContextPropagator.Current),
        ConnectTimeout = options.ConnectTimeout,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
    };
}
