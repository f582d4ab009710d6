using System.Net.Sockets;
using System.Text;

namespace GradientNode.Tests.Infrastructure;

/// <summary>
/// A replica on a loopback port that answers each request's head with exactly the bytes <c>answer</c> gives for its
/// path, on kept-alive connections, so tests can send what no real server would (a 101 nobody asked for, a status line
/// of junk, an extra answer). An answer of null closes the connection without a byte. The paths asked are kept in order.
/// </summary>
internal sealed class RawHttpReplica : IDisposable
{
    private readonly LoopbackTcpServer _server;
    private readonly Func<string, byte[]?> _answer;
    private readonly List<string> _asked = [];

    public RawHttpReplica(Func<string, byte[]?> answer)
    {
        _answer = answer;
        _server = new LoopbackTcpServer(ServeAsync);
    }

    /// <summary><c>127.0.0.1:port</c>, as the route table holds it.</summary>
    public string Address => _server.Address;

    public int Port => _server.Port;

    /// <summary>The request paths in the order they came.</summary>
    public IReadOnlyList<string> Asked()
    {
        lock (_asked)
        {
            return [.. _asked];
        }
    }

    /// <summary>A complete answer: <c>200 OK</c> with <paramref name="body"/> and its Content-Length.</summary>
    public static byte[] Ok(string body) => Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\n\r\n{body}");

    public void Dispose() => _server.Dispose();

    private async Task ServeAsync(Socket socket, CancellationToken cancellationToken)
    {
        using var stream = new NetworkStream(socket, ownsSocket: true);
        var pending = new StringBuilder();
        var buffer = new byte[8192];
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                int end;
                while ((end = pending.ToString().IndexOf("\r\n\r\n", StringComparison.Ordinal)) < 0)
                {
                    var read = await stream.ReadAsync(buffer, cancellationToken);
                    if (read == 0)
                    {
                        return;
                    }

                    pending.Append(Encoding.Latin1.GetString(buffer, 0, read));
                }

                var head = pending.ToString(0, end);
                pending.Remove(0, end + 4);
                var path = head.Split(' ', 3) is { Length: 3 } parts ? parts[1] : "/";
                lock (_asked)
                {
                    _asked.Add(path);
                }

                if (_answer(path) is not { } bytes)
                {
                    return;
                }

                await stream.WriteAsync(bytes, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The proxy or the test went away.
        }
    }
}
