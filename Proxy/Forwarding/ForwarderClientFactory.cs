using System.Net;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace GradientNode.Proxy.Forwarding;

/// <summary>
/// The HTTP client per cluster: direct connections (no proxy, redirects, cookies or decompression), a short
/// connect timeout, pooled connections recycled every few minutes, connect-failure retry on another replica, and with
/// inline socket completions one pool per socket engine thread (<see cref="EngineAffineHandler"/>).
/// </summary>
internal sealed class ForwarderClientFactory : ForwarderHttpClientFactory
{
    private readonly ProxyOptions _options;
    private readonly ILogger<ConnectRetryHandler> _retryLogger;
    private readonly ConnectFailures _failures;
    private readonly RepeatedFailureLog _repeats;

    public ForwarderClientFactory(
        ProxyOptions options, ILogger<ForwarderHttpClientFactory> logger, ILogger<ConnectRetryHandler> retryLogger, ConnectFailures failures,
        RepeatedFailureLog repeats)
        : base(logger)
    {
        _options = options;
        _retryLogger = retryLogger;
        _failures = failures;
        _repeats = repeats;
    }

    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        handler.UseProxy = false;
        handler.AllowAutoRedirect = false;
        handler.AutomaticDecompression = DecompressionMethods.None;
        handler.UseCookies = false;
        handler.EnableMultipleHttp2Connections = true;
        handler.ConnectTimeout = _options.ConnectTimeout;
        handler.PooledConnectionLifetime = TimeSpan.FromMinutes(5);
        handler.PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90);
    }

    protected override HttpMessageHandler WrapHandler(ForwarderHttpClientContext context, HttpMessageHandler handler)
    {
        if (_options.UpstreamPoolPerEngineThread)
        {
            var connector = new EngineConnector(() => EngineThreads.CurrentSlot);
            handler = new EngineAffineHandler(handler, slot =>
            {
                var perEngine = new SocketsHttpHandler();
                ConfigureHandler(context, perEngine);
                perEngine.ConnectCallback = (connection, cancellationToken) => connector.ConnectAsync(slot, connection.DnsEndPoint, cancellationToken);
                return perEngine;
            }, () => EngineThreads.CurrentSlot, EngineThreads.MaxSlots);
        }

        return new ConnectRetryHandler(base.WrapHandler(context, handler), _retryLogger, _failures, _repeats);
    }
}
