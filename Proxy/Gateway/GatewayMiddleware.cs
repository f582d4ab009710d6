using System.Globalization;
using GradientNode.Proxy.Auth;
using GradientNode.Proxy.Routing;
using GradientNode.Proxy.Tls;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Model;

namespace GradientNode.Proxy.Gateway;

/// <summary>
/// In front of routing and YARP: finds the deployment from the Host header (404 when unknown), rejects a
/// disabled one (503), checks basic auth (401; 429 + Retry-After without a check once the client is locked out, see
/// <see cref="AuthFailureLimiter"/>), refuses a plain CONNECT (405), and holds a request while no replica is ready (bounded in time,
/// then 503 + Retry-After; bounded in number by <see cref="HoldGate"/>: past the cap 503 + Retry-After at once); a held request is
/// checked again when the deployment's password changed while it waited. Counts what it answers itself; forwarded requests are counted in the YARP pipeline.
/// </summary>
internal sealed class GatewayMiddleware
{
    private const string RetryAfterSeconds = "5";

    private readonly RequestDelegate _next;
    private readonly FileRouteSource _routes;
    private readonly HoldGate _holds;
    private readonly AuthFailureLimiter _authFailures;
    private readonly TimeProvider _time;
    private readonly TimeSpan _readyWait;
    private readonly string _domain;
    private readonly bool _httpsListener;

    public GatewayMiddleware(RequestDelegate next, FileRouteSource routes, HoldGate holds, AuthFailureLimiter authFailures, ProxyOptions options)
    {
        _next = next;
        _routes = routes;
        _holds = holds;
        _authFailures = authFailures;
        _time = options.TimeProvider;
        _readyWait = options.ReadyWaitTimeout;
        _domain = options.Domain;
        _httpsListener = KestrelListeners.AnyHttps(options.ListenUrls);
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var host = context.Request.Headers.Host.ToString();
        var route = _routes.Current.FindByHost(host);
        if (route is null)
        {
            await WriteUnknownHostAsync(context, host).ConfigureAwait(false);
            return;
        }

        var metrics = route.Metrics;
        var start = _time.GetTimestamp();
        metrics.Local.Enter();
        try
        {
            if (!route.Enabled)
            {
                await WriteTextAsync(context, StatusCodes.Status503ServiceUnavailable, route.NotServing()).ConfigureAwait(false);
                return;
            }

            if (route.ExpectedToken is not null && !await AuthorizeAsync(context, route, route.ExpectedToken).ConfigureAwait(false))
            {
                return;
            }

            // YARP cannot forward a plain CONNECT (it throws, answers 502 and logs a warning with a stack trace per
            // request): refused here. HTTP/2's extended CONNECT (WebSockets) is an upgrade YARP handles, and passes.
            if (HttpMethods.IsConnect(context.Request.Method) && context.Features.Get<IHttpExtendedConnectFeature>()?.IsExtendedConnect != true)
            {
                context.Response.Headers.Allow = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
                await WriteTextAsync(context, StatusCodes.Status405MethodNotAllowed, "CONNECT is not forwarded to replicas\n").ConfigureAwait(false);
                return;
            }

            if (route.ReadyReplicas == 0)
            {
                if (await HoldAsync(context, route, start).ConfigureAwait(false) is not { } ready)
                {
                    return;
                }

                // The route changed while the request waited: protected since, a new password, or a missing secret (fail
                // closed). What was checked against the old route proves nothing about the new one; and a plain-HTTP
                // request let through because the route was public is refused unread, as TransportSecurityMiddleware would.
                if (ready.ExpectedToken is not null && !string.Equals(ready.ExpectedToken, route.ExpectedToken, StringComparison.Ordinal))
                {
                    if (_httpsListener && !context.Request.IsHttps)
                    {
                        context.Request.Headers.Authorization = default;
                        await WriteTextAsync(context, StatusCodes.Status403Forbidden,
                            $"deployment '{ready.Name}' is protected: use https (a password over plain HTTP is not accepted)\n").ConfigureAwait(false);
                        return;
                    }

                    if (!await AuthorizeAsync(context, ready, ready.ExpectedToken).ConfigureAwait(false))
                    {
                        return;
                    }
                }

                route = ready;
            }

            // The host is matched once, here: routing sees the endpoint set and skips its own match.
            context.SetEndpoint(route.Endpoint);
            await _next(context).ConfigureAwait(false);
        }
        finally
        {
            metrics.Local.Exit();
            if (context.Features.Get<IReverseProxyFeature>()?.ProxiedDestination is null)
            {
                metrics.Local.Record(context.Response.StatusCode, start);
            }
        }
    }

    /// <summary>
    /// Basic auth of a protected deployment: true when the password is right. A locked-out client gets 429 without its
    /// password being read; a wrong one counts against the client (its TCP peer address, never X-Forwarded-For). A
    /// request without an <c>Authorization</c> header guesses nothing (a browser's first request) and is not counted.
    /// </summary>
    private async ValueTask<bool> AuthorizeAsync(HttpContext context, CompiledRoute route, string expectedToken)
    {
        var client = context.Connection.RemoteIpAddress;
        if (_authFailures.IsLockedOut(client, route.Slug, out var retryAfter))
        {
            var seconds = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            await WriteTextAsync(context, StatusCodes.Status429TooManyRequests,
                $"too many wrong passwords for deployment '{route.Name}' from this address; retry in {seconds} s\n").ConfigureAwait(false);
            return false;
        }

        var authorization = context.Request.Headers.Authorization;
        if (BasicAuthentication.IsAuthorized(authorization.ToString(), expectedToken))
        {
            return true;
        }

        if (!StringValues.IsNullOrEmpty(authorization))
        {
            _authFailures.RecordFailure(client, route.Slug);
        }

        context.Response.Headers.WWWAuthenticate = route.Challenge;
        await WriteTextAsync(context, StatusCodes.Status401Unauthorized, "unauthorized\n").ConfigureAwait(false);
        return false;
    }

    /// <summary>Holds the request in one of the capped slots until a replica is ready: the route then, null when the response was written.</summary>
    private async Task<CompiledRoute?> HoldAsync(HttpContext context, CompiledRoute route, long start)
    {
        if (!_holds.TryEnter(route.Metrics))
        {
            context.Response.Headers.RetryAfter = RetryAfterSeconds;
            await WriteTextAsync(context, StatusCodes.Status503ServiceUnavailable,
                route.NoReadyReplica(" and too many requests are waiting for one")).ConfigureAwait(false);
            return null;
        }

        try
        {
            return await WaitForReadyReplicaAsync(context, route.Slug, start).ConfigureAwait(false);
        }
        finally
        {
            _holds.Exit(route.Metrics);
        }
    }

    /// <summary>Waits for a route change that gives the deployment a ready replica: that route, null when the response was written.</summary>
    private async Task<CompiledRoute?> WaitForReadyReplicaAsync(HttpContext context, string slug, long start)
    {
        while (true)
        {
            var changed = _routes.Changed;
            var route = _routes.Current.Find(slug);
            if (route is null)
            {
                await WriteTextAsync(context, StatusCodes.Status404NotFound, $"no deployment '{slug}' on this node\n").ConfigureAwait(false);
                return null;
            }

            if (!route.Enabled)
            {
                await WriteTextAsync(context, StatusCodes.Status503ServiceUnavailable, route.NotServing()).ConfigureAwait(false);
                return null;
            }

            if (route.ReadyReplicas > 0)
            {
                return route;
            }

            var remaining = _readyWait - _time.GetElapsedTime(start);
            if (remaining <= TimeSpan.Zero)
            {
                context.Response.Headers.RetryAfter = RetryAfterSeconds;
                await WriteTextAsync(context, StatusCodes.Status503ServiceUnavailable, route.NoReadyReplica()).ConfigureAwait(false);
                return null;
            }

            try
            {
                await changed.WaitAsync(remaining, _time, context.RequestAborted).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Loop once more: re-check, then answer 503.
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                return null;
            }
        }
    }

    private Task WriteUnknownHostAsync(HttpContext context, string host)
    {
        var message = RouteSnapshot.TryGetLabel(host, _domain, out var label)
            ? $"no deployment '{label}' on this node\n"
            : $"no deployment for host '{(host.Length > 100 ? host[..100] : host)}' on this node\n";
        return WriteTextAsync(context, StatusCodes.Status404NotFound, message);
    }

    internal static Task WriteTextAsync(HttpContext context, int statusCode, string text)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers[HeaderNames.CacheControl] = "no-store";
        return context.Response.WriteAsync(text, context.RequestAborted);
    }
}
