using System.Net;
using GradientNode.Proxy.Hosting;
using GradientNode.Proxy.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace GradientNode.Proxy.Forwarding;

/// <summary>
/// Forwards a request the gateway has accepted to one of the deployment's ready replicas (power of two choices)
/// with YARP's <see cref="IHttpForwarder"/> over one shared client, and counts it: the deployment's request moves
/// from local in-flight to forwarded and the replica's, and the result is recorded against the replica that
/// served it (a connect retry may have switched it). Duration = forwarder call to end of the response body.
/// </summary>
internal sealed class ReplicaForwarder : IDisposable
{
    private readonly IHttpForwarder _forwarder;
    private readonly TimeProvider _time;
    private readonly HttpMessageInvoker _client;
    private readonly ForwarderRequestConfig _requestConfig;

    public ReplicaForwarder(IHttpForwarder forwarder, ProxyOptions options, ILogger<ConnectRetryHandler> retryLogger)
    {
        _forwarder = forwarder;
        _time = options.TimeProvider;
        _client = new HttpMessageInvoker(new ConnectRetryHandler(UpstreamHandler.Create(options), retryLogger), disposeHandler: true);
        _requestConfig = new ForwarderRequestConfig
        {
            ActivityTimeout = options.ActivityTimeout,
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            AllowResponseBuffering = false,
        };
    }

    /// <summary>Forwards to a ready replica of <paramref name="route"/>, which must have one.</summary>
    public async Task ForwardAsync(HttpContext context, CompiledRoute route)
    {
        var deployment = route.Metrics;
        var chosen = ReplicaPicker.Pick(route.Replicas);
        ReplicaAttempt? attempt = null;
        if (route.Replicas.Count > 1)
        {
            attempt = new ReplicaAttempt(route, chosen);
            context.Features.Set(attempt);
        }

        var replica = chosen.Metrics;
        deployment.Local.Exit();
        deployment.Forwarded.Enter();
        replica.Enter();
        var start = _time.GetTimestamp();
        try
        {
            var transformer = route.IsProtected ? ForwardingTransformer.Protected : ForwardingTransformer.Public;
            await _forwarder.SendAsync(context, chosen.Prefix, _client, _requestConfig, transformer).ConfigureAwait(false);
        }
        finally
        {
            replica.Exit();
            deployment.Forwarded.Exit();
            deployment.Local.Enter();
            var end = _time.GetTimestamp();
            var duration = _time.GetElapsedTime(start, end);
            var status = context.Response.StatusCode;
            var served = attempt?.Served ?? chosen;
            var target = ReferenceEquals(served, chosen) ? replica : served.Metrics;
            target.Record(status, duration, end);
            deployment.Forwarded.Record(status, duration, end);
        }
    }

    public void Dispose() => _client.Dispose();
}
