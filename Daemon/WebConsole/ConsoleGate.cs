using System.Net;
using System.Text;
using GradientNode.Daemon.Security;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace GradientNode.Daemon.WebConsole;

/// <summary>
/// Who may use a console, checked per connection before any HTTP is read. The console acts with socket-group powers,
/// and a loopback port is open to every local user: a connection made on this host is served only when the user
/// that owns its other end (<see cref="TcpPeerOwner"/>) passes <c>refusal</c> (root and the user who started
/// <c>gradient-node console</c>; for the daemon-served console, whoever may open the API socket). Any other is answered
/// 403 and closed. A connection from another host (only possible with <c>allowRemote</c>) is served when
/// <c>allowRemote</c> is set, and otherwise refused. A connection from a container on this host (a replica, a workflow
/// job, any container of the engine: its address is in a bridge's subnet, <see cref="BridgeNetworks"/>) is neither: no
/// user can be found for it, so it is refused too. Before, with <c>allowRemote</c>, it was taken for another host's and
/// served: any replica's image could restart, scale, disable and read the logs of every deployment through the console.
/// </summary>
internal static class ConsoleGate
{
    /// <summary>Why <paramref name="uid"/> may not use the console, or null when it may.</summary>
    public delegate string? UserRefusal(uint uid);

    public static void Use(ListenOptions listen, UserRefusal refusal, bool allowRemote, string procNetDir = "/proc/net")
    {
        var bridges = new BridgeNetworks(TimeProvider.System);
        listen.Use(next => async connection =>
        {
            if (Refusal(connection.RemoteEndPoint, connection.LocalEndPoint, refusal, allowRemote, procNetDir, bridges.Contains) is { } why)
            {
                var body = $"permission denied: {why}\n";
                var response = $"HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}";
                await connection.Transport.Output.WriteAsync(Encoding.UTF8.GetBytes(response), connection.ConnectionClosed).ConfigureAwait(false);
                await connection.Transport.Output.CompleteAsync().ConfigureAwait(false);
                return;
            }

            await next(connection).ConfigureAwait(false);
        });
    }

    /// <summary>Null when the connection from <paramref name="remote"/> to <paramref name="local"/> may be served, else why not.</summary>
    internal static string? Refusal(EndPoint? remote, EndPoint? local, UserRefusal refusal, bool allowRemote, string procNetDir, Func<IPAddress, bool>? fromContainer = null)
    {
        if (remote is not IPEndPoint from || local is not IPEndPoint to)
        {
            return "the console serves TCP connections only";
        }

        if (TcpPeerOwner.Find(from, to, procNetDir) is { } uid)
        {
            return refusal(uid);
        }

        if (!allowRemote)
        {
            return "the connection's user cannot be found on this host";
        }

        return (fromContainer ?? new BridgeNetworks(TimeProvider.System).Contains)(from.Address)
            ? $"the connection comes from {from.Address}, a container network of this host (a bridge's subnet), where no user can be found for it; containers are not served"
            : null;
    }
}
