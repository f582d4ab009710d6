using System.Net.Sockets;

namespace GradientNode.Tests.Infrastructure;

/// <summary>
/// A registry on loopback that accepts connections and never answers: a pull from it hangs (dockerd gives up on
/// its own after about 25 s: a 10 s TLS handshake, then 15 s over plain HTTP, loopback being an insecure registry)
/// until <see cref="DisposeAsync"/> closes every connection, which fails the pull at once.
/// </summary>
internal sealed class StallingRegistry : IAsyncDisposable
{
    private readonly List<Socket> _held = [];
    private readonly LoopbackTcpServer _server;
    private bool _disposed;

    public StallingRegistry() => _server = new LoopbackTcpServer(HoldAsync);

    /// <summary><c>127.0.0.1:PORT</c>, the registry host of an image reference.</summary>
    public string Address => _server.Address;

    /// <summary>Connections dockerd opened so far.</summary>
    public int Connections
    {
        get
        {
            lock (_held)
            {
                return _held.Count;
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _server.Dispose();
        lock (_held)
        {
            _disposed = true;
            foreach (var socket in _held)
            {
                socket.Dispose();
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Keeps the connection open and silent until disposal.</summary>
    private Task HoldAsync(Socket socket, CancellationToken stop)
    {
        lock (_held)
        {
            if (_disposed)
            {
                socket.Dispose();
            }
            else
            {
                _held.Add(socket);
            }
        }

        return Task.CompletedTask;
    }
}
