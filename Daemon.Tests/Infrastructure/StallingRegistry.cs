using System.Net;
using System.Net.Sockets;

namespace GradientNode.Tests.Infrastructure;

/// <summary>
/// A registry on loopback that accepts connections and never answers: a pull from it hangs (dockerd gives up on
/// its own after about 25 s: a 10 s TLS handshake, then 15 s over plain HTTP, loopback being an insecure registry)
/// until <see cref="DisposeAsync"/> closes every connection, which fails the pull at once.
/// </summary>
internal sealed class StallingRegistry : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<TcpClient> _held = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private bool _disposed;

    public StallingRegistry()
    {
        _listener.Start();
        Address = $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";
        _accepting = AcceptAsync();
    }

    /// <summary><c>127.0.0.1:PORT</c>, the registry host of an image reference.</summary>
    public string Address { get; }

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

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        lock (_held)
        {
            foreach (var client in _held)
            {
                client.Dispose();
            }
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                lock (_held)
                {
                    _held.Add(client);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }
}
