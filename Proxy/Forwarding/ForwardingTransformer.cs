using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Forwarder;

namespace GradientNode.Proxy.Forwarding;

/// <summary>
/// What YARP's default transforms did, without the per-route transform pipeline: copy the headers (YARP's base
/// drops hop-by-hop ones), let the upstream Host be the replica address, set X-Forwarded-For/-Proto/-Host/-Prefix
/// (replacing client values, so they cannot be spoofed), drop Authorization for protected deployments, and hand
/// the <see cref="ReplicaAttempt"/> to <see cref="ConnectRetryHandler"/>.
/// </summary>
internal sealed class ForwardingTransformer : HttpTransformer
{
    public static readonly ForwardingTransformer Public = new(removeAuthorization: false);

    public static readonly ForwardingTransformer Protected = new(removeAuthorization: true);

    private const string XForwardedFor = "X-Forwarded-For";
    private const string XForwardedProto = "X-Forwarded-Proto";
    private const string XForwardedHost = "X-Forwarded-Host";
    private const string XForwardedPrefix = "X-Forwarded-Prefix";

    private readonly bool _removeAuthorization;

    private ForwardingTransformer(bool removeAuthorization) => _removeAuthorization = removeAuthorization;

    public override async ValueTask TransformRequestAsync(
        HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken).ConfigureAwait(false);

        var request = httpContext.Request;
        var headers = proxyRequest.Headers;
        headers.Host = null;
        if (_removeAuthorization)
        {
            headers.Remove(HeaderNames.Authorization);
        }

        headers.Remove(XForwardedFor);
        headers.Remove(XForwardedProto);
        headers.Remove(XForwardedHost);
        headers.Remove(XForwardedPrefix);
        var remote = httpContext.Connection.RemoteIpAddress;
        if (remote is not null)
        {
            headers.TryAddWithoutValidation(XForwardedFor, remote.ToString());
        }

        headers.TryAddWithoutValidation(XForwardedProto, request.Scheme);
        if (request.Host.HasValue)
        {
            headers.TryAddWithoutValidation(XForwardedHost, request.Host.ToUriComponent());
        }

        if (request.PathBase.HasValue)
        {
            headers.TryAddWithoutValidation(XForwardedPrefix, request.PathBase.ToUriComponent());
        }

        if (httpContext.Features.Get<ReplicaAttempt>() is { } attempt)
        {
            proxyRequest.Options.Set(ConnectRetryHandler.AttemptKey, attempt);
        }
    }
}
