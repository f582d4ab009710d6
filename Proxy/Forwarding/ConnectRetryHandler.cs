using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Model;

namespace GradientNode.Proxy.Forwarding;

/// <summary>
/// Retries a request on another replica of the same cluster when the TCP connect to the chosen one fails
/// (refused, unreachable: <see cref="HttpRequestError.ConnectionError"/>; or past the connect timeout), skipping the
/// replicas <see cref="ConnectFailures"/> took out of rotation, and takes each failed one out. Nothing of the request has been sent
/// then — no header, no body byte — so a request with a body is safe to retry; once a connection exists any
/// failure is YARP's (502), never retried. The feature is attached by <see cref="RetryTransform"/>.
/// </summary>
internal sealed partial class ConnectRetryHandler : DelegatingHandler
{
    public const int MaxRetries = 3;

    public static readonly HttpRequestOptionsKey<IReverseProxyFeature> FeatureKey = new("GradientNode.Proxy.ReverseProxyFeature");

    private readonly ILogger _logger;
    private readonly ConnectFailures _failures;
    private readonly RepeatedFailureLog? _repeats;

    public ConnectRetryHandler(HttpMessageHandler inner, ILogger logger, ConnectFailures failures, RepeatedFailureLog? repeats = null)
        : base(inner)
    {
        _logger = logger;
        _failures = failures;
        _repeats = repeats;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ConnectFailures.IsConnectFailure(ex, cancellationToken) && request.Options.TryGetValue(FeatureKey, out var feature))
        {
            return await RetryAsync(request, feature, ex, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<HttpResponseMessage> RetryAsync(
        HttpRequestMessage request, IReverseProxyFeature feature, Exception failure, CancellationToken cancellationToken)
    {
        var all = feature.AllDestinations;
        var failed = feature.ProxiedDestination;
        var offset = Random.Shared.Next(all.Count);
        var attempts = 0;
        for (var i = 0; i < all.Count && attempts < MaxRetries; i++)
        {
            var candidate = all[(offset + i) % all.Count];
            if (ReferenceEquals(candidate, failed) || _failures.IsOut(candidate))
            {
                continue;
            }

            if (failed is not null)
            {
                _failures.Mark(feature.Route.Cluster, failed, failure);
            }

            attempts++;
            LogRetried(_logger, failed?.DestinationId ?? "?", candidate.DestinationId, failure.Message);
            request.RequestUri = Rebase(request.RequestUri!, candidate.Model.Config.Address);
            feature.ProxiedDestination = candidate;
            failed = candidate;
            try
            {
                return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ConnectFailures.IsConnectFailure(ex, cancellationToken))
            {
                failure = ex;
            }
        }

        var repeats = string.Empty;
        if (_repeats?.ShouldLog(feature.Route.Config.RouteId, ProxyLogEvents.ReplicaConnectFailedAll, out repeats) ?? true)
        {
            LogFailedAll(_logger, feature.Route.Config.RouteId, attempts + 1, repeats);
        }

        ExceptionDispatchInfo.Throw(failure);
        return null!;
    }

    private static Uri Rebase(Uri original, string destinationAddress)
    {
        var destination = new Uri(destinationAddress, UriKind.Absolute);
        var builder = new UriBuilder(original) { Scheme = destination.Scheme, Host = destination.Host, Port = destination.Port };
        return builder.Uri;
    }
}
