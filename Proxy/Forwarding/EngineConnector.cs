using System.Net;
using System.Net.Sockets;

namespace GradientNode.Proxy.Forwarding;

/// <summary>
/// Connects an upstream socket that lands on a given socket engine thread (<see cref="EngineAffineHandler"/>). The
/// runtime registers a socket with its engines in turn, at its first operation that waits (here the connect), and,
/// with inline completions, finishes the connect on that engine's thread: so the thread the connect finished on names
/// the socket's engine. A socket on another engine is closed and the connect made again, at most
/// <c>maxAttempts</c> times (then the last one is kept): the replica sees a connection closed without a request for
/// each miss, only when a pool opens a connection.
/// </summary>
internal sealed class EngineConnector(Func<int> currentSlot, int maxAttempts = EngineConnector.DefaultMaxAttempts)
{
    /// <summary>With engines taken in turn, two attempts land on one of two engines; four leave room for other sockets registered meanwhile.</summary>
    public const int DefaultMaxAttempts = 4;

    /// <summary>A connected stream to <paramref name="endpoint"/>, on slot <paramref name="slot"/>'s engine when it could be.</summary>
    public async ValueTask<Stream> ConnectAsync(int slot, DnsEndPoint endpoint, CancellationToken cancellationToken)
    {
        EndPoint target = IPAddress.TryParse(endpoint.Host, out var address) ? new IPEndPoint(address, endpoint.Port) : endpoint;
        for (var attempt = 1; ; attempt++)
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(target, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            if (attempt >= maxAttempts || currentSlot() == slot)
            {
                return new NetworkStream(socket, ownsSocket: true);
            }

            socket.Dispose();
        }
    }
}
