using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace GradientNode.Proxy.Forwarding;

/// <summary>
/// The body of the 502 or 504 YARP answers when forwarding to a replica failed before any of the answer was sent. YARP
/// leaves it empty, so a client saw a bare <c>502</c> while the 503s of the gateway say why in words; the cause stays in
/// the node's log (<see cref="ForwardingErrorLog"/>, event 3022). General words only, like the 503s': no replica address
/// and no exception text reach a network client. A <c>protocol: h2c</c> deployment whose replica does not speak HTTP/2
/// (the usual cause of its 502s) is told so.
/// </summary>
internal static class ForwardingErrorAnswer
{
    public static Task WriteAsync(HttpContext context, IReverseProxyFeature feature, string deployment)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(feature);
        if (context.Response.HasStarted || context.Features.Get<IForwarderErrorFeature>() is not { } failure
            || failure.Error == ForwarderError.None || ForwardingErrorLog.IsClientSide(failure.Error))
        {
            return Task.CompletedTask;
        }

        if (failure.Error == ForwarderError.NoAvailableDestinations || NoneAcceptsNow(context, feature, failure))
        {
            // Each ready replica of the route table failed its last connect (ConnectFailures): out of rotation for a while.
            var cooldown = context.RequestServices.GetRequiredService<ProxyOptions>().ConnectFailedCooldown;
            var seconds = Math.Max(1, (int)Math.Ceiling(cooldown.TotalSeconds));
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            context.Response.ContentType = "text/plain; charset=utf-8";
            return context.Response.WriteAsync(
                $"deployment '{deployment}': none of its replicas accepts connections (the proxy's last connect to each failed; they are tried again within {seconds} s); the node's log says why\n",
                context.RequestAborted);
        }

        if (context.Response.StatusCode is not (StatusCodes.Status502BadGateway or StatusCodes.Status504GatewayTimeout))
        {
            return Task.CompletedTask;
        }

        var h2c = feature.Cluster?.Config.HttpRequest?.Version == HttpVersion.Version20;
        var text = context.Response.StatusCode == StatusCodes.Status504GatewayTimeout
            ? $"deployment '{deployment}': its replica did not answer in time\n"
            : h2c
                ? $"deployment '{deployment}': its replica did not answer as HTTP/2; the spec says protocol: h2c, so the proxy speaks HTTP/2 without TLS to it (a gRPC server); an HTTP/1.1 app needs protocol: http (the default)\n"
                : $"deployment '{deployment}': forwarding to its replica failed (no connection, a reset, or an answer that was not HTTP); the node's log says why\n";
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text, context.RequestAborted);
    }

    /// <summary>
    /// The request found out that the last replica in rotation does not accept connections (its connect failed, and the
    /// retries found none other): nothing of it was sent, so it gets the 503 the requests after it get, not a 502 (refused)
    /// or a 504 after the 2 s connect timeout, which read as an answer of the app (faults11: one every cooldown, live).
    /// </summary>
    private static bool NoneAcceptsNow(HttpContext context, IReverseProxyFeature feature, IForwarderErrorFeature failure) =>
        ConnectFailures.IsConnectFailure(failure.Exception, context.RequestAborted)
        && feature.AllDestinations.Count > 0
        && feature.AllDestinations.All(context.RequestServices.GetRequiredService<ConnectFailures>().IsOut);
}
