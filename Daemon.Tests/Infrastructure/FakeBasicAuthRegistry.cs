using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;

namespace GradientNode.Tests.Infrastructure;

/// <summary>
/// A registry impostor on loopback (plain HTTP on a free port): every request gets <c>401</c> with
/// <c>WWW-Authenticate: Basic realm=x</c>, and any <c>Authorization</c> header it receives is recorded. A TLS hello
/// (dockerd tries https first) is dropped, so dockerd falls back to http as it does for loopback registries.
/// </summary>
internal sealed class FakeBasicAuthRegistry : IDisposable
{
    private readonly LoopbackTcpServer _server;

    public FakeBasicAuthRegistry() => _server = new LoopbackTcpServer(AnswerAsync);

    /// <summary><c>127.0.0.1:port</c>, as an image reference names a registry.</summary>
    public string Address => _server.Address;

    /// <summary>Every request line received over HTTP.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Every <c>Authorization</c> header value received.</summary>
    public ConcurrentQueue<string> Authorizations { get; } = new();

    public void Dispose() => _server.Dispose();

    private async Task AnswerAsync(Socket socket, CancellationToken stop)
    {
        using (var stream = new NetworkStream(socket, ownsSocket: true))
        {
            try
            {
                var buffer = new byte[16 * 1024];
                var length = 0;
                while (length < buffer.Length)
                {
                    var read = await stream.ReadAsync(buffer.AsMemory(length), stop);
                    if (read == 0 || buffer[0] == 0x16)
                    {
                        return; // closed, or a TLS hello: no https here
                    }

                    length += read;
                    if (Encoding.ASCII.GetString(buffer, 0, length).Contains("\r\n\r\n", StringComparison.Ordinal))
                    {
                        break;
                    }
                }

                var lines = Encoding.ASCII.GetString(buffer, 0, length).Split("\r\n");
                Requests.Enqueue(lines[0]);
                foreach (var line in lines.Where(l => l.StartsWith("Authorization:", StringComparison.OrdinalIgnoreCase)))
                {
                    Authorizations.Enqueue(line["Authorization:".Length..].Trim());
                }

                var response = "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=x\r\nDocker-Distribution-API-Version: registry/2.0\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(response), stop);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away.
            }
        }
    }
}
