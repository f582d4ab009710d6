using GradientNode.Proxy.Gateway;
using GradientNode.Proxy.Routing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;

namespace GradientNode.Proxy.Tls;

/// <summary>
/// First in the pipeline when the node has an https listener. Over https it adds HSTS when configured. Over plain
/// HTTP it answers <c>308</c> to the same URL on the first https listener (unless turned off); with the redirect off,
/// a request for a protected deployment gets <c>403</c> without its <c>Authorization</c> header being read or
/// forwarded, so a password sent in clear text never works. It redirects only to a host the node serves,
/// <c>&lt;label&gt;.&lt;domain&gt;</c>: the <c>Host</c> is the client's to choose, so any other one (another site, an
/// address, a name with more labels under the domain) gets <c>404</c>, never a <c>Location</c> pointing there.
/// </summary>
internal sealed class TransportSecurityMiddleware
{
    private readonly RequestDelegate _next;
    private readonly FileRouteSource _routes;
    private readonly IServer _server;
    private readonly bool _redirect;
    private readonly string? _hsts;
    private readonly string _domain;
    private int _httpsPort = -1;

    public TransportSecurityMiddleware(RequestDelegate next, ProxyOptions options, FileRouteSource routes, IServer server)
    {
        _next = next;
        _routes = routes;
        _server = server;
        _redirect = options.Tls.RedirectHttp;
        _domain = options.Domain;
        _hsts = options.Tls.HstsMaxAge is { } age ? $"max-age={(long)age.TotalSeconds}" : null;
    }

    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.IsHttps)
        {
            if (_hsts is not null)
            {
                context.Response.Headers.StrictTransportSecurity = _hsts;
            }

            return _next(context);
        }

        var host = context.Request.Host.Host;
        if (_redirect)
        {
            if (string.IsNullOrEmpty(host))
            {
                // HTTP/1.0 allows a request without Host; "https://:8443/" would be no URL at all.
                return GatewayMiddleware.WriteTextAsync(context, StatusCodes.Status400BadRequest, "no Host header: nothing to redirect to (use https://<deployment>.<domain>/)\n");
            }

            if (!RouteSnapshot.TryGetLabel(host, _domain, out var label) || !DnsLabel.IsValid(label))
            {
                // Not a host of this node's: a Location there would be an open redirect (a cache or a client in front
                // of the node that keys on the path alone would send others to it).
                return GatewayMiddleware.WriteTextAsync(context, StatusCodes.Status404NotFound,
                    $"no deployment for host '{(host.Length > 100 ? host[..100] : host)}' on this node: nothing to redirect to\n");
            }

            context.Response.StatusCode = StatusCodes.Status308PermanentRedirect;
            context.Response.Headers.Location = HttpsUrl(host, context.Request.PathBase + context.Request.Path, context.Request.QueryString.Value);
            context.Response.Headers.CacheControl = "no-store";
            return Task.CompletedTask;
        }

        if (_routes.Current.FindByHost(context.Request.Headers.Host.ToString()) is { ExpectedToken: not null } route)
        {
            context.Request.Headers.Authorization = default;
            return GatewayMiddleware.WriteTextAsync(context, StatusCodes.Status403Forbidden,
                $"deployment '{route.Name}' is protected: use {HttpsUrl(host, "/", null)} (a password over plain HTTP is not accepted)\n");
        }

        return _next(context);
    }

    private string HttpsUrl(string host, string path, string? query)
    {
        var port = HttpsPort();
        var authority = port is 443 ? host : $"{host}:{port}";
        return $"https://{authority}{path}{query}";
    }

    /// <summary>The bound port of the first https listener (known once Kestrel has started).</summary>
    private int HttpsPort()
    {
        if (_httpsPort < 0)
        {
            var first = _server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault(KestrelListeners.IsHttps);
            _httpsPort = first is null ? 443 : new Uri(first.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal)).Port;
        }

        return _httpsPort;
    }
}
