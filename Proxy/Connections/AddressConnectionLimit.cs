using System.Net;
using GradientNode.Proxy.Auth;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace GradientNode.Proxy.Connections;

/// <summary>
/// At most <c>max</c> connections open at once from one client (an IPv4 address or an IPv6 /64, as
/// <see cref="AuthFailureKey"/> groups them), checked when the connection is accepted, before TLS or HTTP: one more is
/// closed at once. Before, one client holding 10,000 idle keep-alive connections (each held 130 s after one request)
/// filled the proxy's <c>MaxConcurrentConnections</c>, and every other client's connection was refused. 0: no limit.
/// </summary>
internal sealed partial class AddressConnectionLimit(int max, ILogger logger)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<UInt128, int> _open = [];

    public int Max => max;

    /// <summary>Kestrel connection middleware: counts the connection for its client, or closes it past the limit.</summary>
    public Func<ConnectionDelegate, ConnectionDelegate> Middleware => next => async context =>
    {
        var client = AuthFailureKey.ClientOf((context.RemoteEndPoint as IPEndPoint)?.Address);
        if (!TryEnter(client))
        {
            context.Abort(new ConnectionAbortedException("too many connections from this client"));
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
    };

    /// <summary>Counts one more connection of <paramref name="client"/>; false (and nothing counted) past the limit.</summary>
    public bool TryEnter(UInt128 client)
    {
        if (max <= 0)
        {
            return true;
        }

        int open;
        lock (_gate)
        {
            open = _open.GetValueOrDefault(client);
            if (open < max)
            {
                _open[client] = open + 1;
                return true;
            }
        }

        LogRefused(AuthFailureKey.Describe(client), max);
        return false;
    }

    public void Exit(UInt128 client)
    {
        if (max <= 0)
        {
            return;
        }

        lock (_gate)
        {
            var open = _open.GetValueOrDefault(client) - 1;
            if (open <= 0)
            {
                _open.Remove(client);
            }
            else
            {
                _open[client] = open;
            }
        }
    }

    /// <summary>How many connections <paramref name="client"/> has open (tests).</summary>
    public int OpenOf(UInt128 client)
    {
        lock (_gate)
        {
            return _open.GetValueOrDefault(client);
        }
    }

    [LoggerMessage(EventId = ProxyLogEvents.ConnectionRefusedPerAddress, Level = LogLevel.Debug,
        Message = "connection from {Client} closed: it has {Max} open (--max-connections-per-address)")]
    private partial void LogRefused(string client, int max);
}
