using System.Net;
using GradientNode.Proxy.Auth;
using GradientNode.Proxy.Gateway;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace GradientNode.Proxy.Connections;

/// <summary>
/// At most <c>perClient</c> requests in flight at once from one client (an IPv4 address or an IPv6 /64, as
/// <see cref="AuthFailureKey"/> groups them) and <c>total</c> over all clients; one more is answered at once (429, or 503
/// past the total) and forwarded nowhere. Over HTTP/1.1 a connection carries one request at a time, so the connection
/// limits (<see cref="AddressConnectionLimit"/>, Kestrel's <c>MaxConcurrentConnections</c>) bounded requests too; over
/// HTTP/2 each connection carries up to 100 streams, and one client's 1,000 connections were 100,000 requests held or
/// forwarded at once (each a connection to a replica: the proxy's file descriptors), all clients' 1,000,000.
/// HTTP/1.x requests are not counted: their connections already bound them one to one, so counting them only added a lock
/// to every request of the forwarding path (issue 17) and a brief 429 to a client that reopened a connection at its limit
/// while the last request of the one it closed was still ending. 0: no limit.
/// </summary>
internal sealed partial class InFlightRequestLimit(int perClient, long total, ILogger logger)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<UInt128, int> _inFlight = [];
    private long _total;

    /// <summary>Request middleware: counts the request for its client while it runs, or answers it past a limit.</summary>
    public Func<RequestDelegate, RequestDelegate> Middleware => next => context =>
        HttpProtocol.IsHttp10(context.Request.Protocol) || HttpProtocol.IsHttp11(context.Request.Protocol) ? next(context) : CountedAsync(context, next);

    private async Task CountedAsync(HttpContext context, RequestDelegate next)
    {
        var client = AuthFailureKey.ClientOf(context.Connection.RemoteIpAddress);
        if (Refusal(client) is { } status)
        {
            context.Response.Headers.RetryAfter = "1";
            await GatewayMiddleware.WriteTextAsync(context, status, status == StatusCodes.Status429TooManyRequests
                ? $"too many requests in flight from this client (at most {perClient}, --max-connections-per-address)\n"
                : $"too many requests in flight (at most {total})\n").ConfigureAwait(false);
            return;
        }

        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            Exit(client);
        }
    }

    /// <summary>Counts one more request of <paramref name="client"/> and returns null, or the status to answer (nothing counted).</summary>
    public int? Refusal(UInt128 client)
    {
        lock (_gate)
        {
            if (total > 0 && _total >= total)
            {
                LogRefused(AuthFailureKey.Describe(client), "all clients", total);
                return StatusCodes.Status503ServiceUnavailable;
            }

            var mine = _inFlight.GetValueOrDefault(client);
            if (perClient > 0 && mine >= perClient)
            {
                LogRefused(AuthFailureKey.Describe(client), "this client", perClient);
                return StatusCodes.Status429TooManyRequests;
            }

            _inFlight[client] = mine + 1;
            _total++;
            return null;
        }
    }

    public void Exit(UInt128 client)
    {
        lock (_gate)
        {
            _total--;
            var mine = _inFlight.GetValueOrDefault(client) - 1;
            if (mine <= 0)
            {
                _inFlight.Remove(client);
            }
            else
            {
                _inFlight[client] = mine;
            }
        }
    }

    [LoggerMessage(EventId = ProxyLogEvents.RequestRefusedInFlight, Level = LogLevel.Debug,
        Message = "request from {Client} answered at once: {Whose} has {Max} in flight")]
    private partial void LogRefused(string client, string whose, long max);
}
