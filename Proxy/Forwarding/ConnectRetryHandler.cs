using System.Runtime.ExceptionServices;
using GradientNode.Proxy.Routing;
using Microsoft.Extensions.Logging;

namespace GradientNode.Proxy.Forwarding;

/// <summary>
/// Retries a request on another ready replica of the same deployment when the TCP connect to the chosen one
/// fails (refused, unreachable: <see cref="HttpRequestError.ConnectionError"/>). Nothing of the request has been
/// sent then — no header, no body byte — so a request with a body is safe to retry; once a connection exists any
/// failure is the forwarder's (502), never retried. <see cref="ForwardingTransformer"/> attaches the
/// <see cref="ReplicaAttempt"/> when there is another replica to try.
/// </summary>
internal sealed partial class ConnectRetryHandler : DelegatingHandler
{
    public const int MaxRetries = 3;

    public static readonly HttpRequestOptionsKey<ReplicaAttempt> AttemptKey = new("GradientNode.Proxy.ReplicaAttempt");

    private readonly ILogger _logger;

    public ConnectRetryHandler(HttpMessageHandler inner, ILogger logger)
        : base(inner) => _logger = logger;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (IsConnectFailure(ex) && request.Options.TryGetValue(AttemptKey, out var attempt))
        {
            return await RetryAsync(request, attempt, ex, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool IsConnectFailure(HttpRequestException ex) => ex.HttpRequestError == HttpRequestError.ConnectionError;

    private async Task<HttpResponseMessage> RetryAsync(
        HttpRequestMessage request, ReplicaAttempt attempt, HttpRequestException failure, CancellationToken cancellationToken)
    {
        var all = attempt.Route.Replicas;
        var failed = attempt.Served;
        var offset = Random.Shared.Next(all.Count);
        var attempts = 0;
        for (var i = 0; i < all.Count && attempts < MaxRetries; i++)
        {
            var candidate = all[(offset + i) % all.Count];
            if (ReferenceEquals(candidate, failed))
            {
                continue;
            }

            attempts++;
            LogRetried(_logger, failed.Id, candidate.Id, failure.Message);
            request.RequestUri = Rebase(request.RequestUri!, candidate.Prefix);
            attempt.Served = candidate;
            failed = candidate;
            try
            {
                return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException ex) when (IsConnectFailure(ex))
            {
                failure = ex;
            }
        }

        LogFailedAll(_logger, attempt.Route.Slug, attempts + 1);
        ExceptionDispatchInfo.Throw(failure);
        return null!;
    }

    private static Uri Rebase(Uri original, string destinationPrefix)
    {
        var destination = new Uri(destinationPrefix, UriKind.Absolute);
        var builder = new UriBuilder(original) { Scheme = destination.Scheme, Host = destination.Host, Port = destination.Port };
        return builder.Uri;
    }
}
