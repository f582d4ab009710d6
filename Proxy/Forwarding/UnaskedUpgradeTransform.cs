using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Model;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace GradientNode.Proxy.Forwarding;

/// <summary>
/// A replica's <c>101 Switching Protocols</c> to a request that asked for no upgrade (no <c>Upgrade</c> header, or an
/// HTTP/2 request that is not an extended CONNECT) is answered 502, logged (event 3024), and the replica's connection
/// dropped. Before, YARP copied the 101 and its <c>Upgrade</c> header to the client and then closed the connection
/// (Kestrel cannot upgrade such a request), so a client (or a proxy in front of the node) was told the connection had
/// switched protocols when it had not, and nothing was logged. RFC 9110 §15.2.2: a server must not switch to a protocol
/// the request did not ask for.
/// </summary>
internal static partial class UnaskedUpgradeTransform
{
    public static void Add(TransformBuilderContext context)
    {
        var logger = context.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(UnaskedUpgradeTransform));
        context.AddResponseTransform(transform => RefuseAsync(transform, logger));
    }

    /// <summary>
    /// True when <paramref name="context"/>'s request asked to switch protocols (HTTP/1.1 Upgrade, HTTP/2 extended CONNECT)
    /// and the request sent to the replica (<paramref name="sent"/>) asked it too: YARP does not forward every upgrade a
    /// client asks for (<c>Upgrade: h2c</c> reaches the replica as a plain request), and a 101 to that was tunnelled.
    /// </summary>
    public static bool AskedForUpgrade(HttpContext context, HttpRequestMessage? sent) =>
        (context.Features.Get<IHttpUpgradeFeature>()?.IsUpgradableRequest == true
            || context.Features.Get<IHttpExtendedConnectFeature>()?.IsExtendedConnect == true)
        && (sent is null || sent.Headers.Contains("Upgrade"));

    private static async ValueTask RefuseAsync(ResponseTransformContext transform, ILogger logger)
    {
        if (transform.ProxyResponse?.StatusCode != HttpStatusCode.SwitchingProtocols || AskedForUpgrade(transform.HttpContext, transform.ProxyResponse.RequestMessage))
        {
            return;
        }

        var context = transform.HttpContext;
        var feature = context.Features.Get<IReverseProxyFeature>();
        var deployment = feature?.Route.Config.RouteId ?? "?";
        LogUnaskedUpgrade(logger, deployment, feature?.ProxiedDestination?.Model.Config.Address ?? "no replica", context.Request.Method, context.Request.Path.Value ?? "/");
        transform.SuppressResponseBody = true;
        context.Response.Clear();
        context.Response.StatusCode = StatusCodes.Status502BadGateway;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(
            $"deployment '{deployment}': its replica answered 101 Switching Protocols to a request that asked for no upgrade; the node's log says more\n",
            context.RequestAborted).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = ProxyLogEvents.ForwardUnaskedUpgrade, Level = LogLevel.Warning,
        Message = "Deployment '{Deployment}': replica {Destination} answered 101 Switching Protocols to {Method} {Path}, which asked for no upgrade; answered 502")]
    private static partial void LogUnaskedUpgrade(ILogger logger, string deployment, string destination, string method, string path);
}
