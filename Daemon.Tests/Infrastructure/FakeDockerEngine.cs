using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;

namespace GradientNode.Tests.Infrastructure;

/// <summary>
/// A scripted Docker Engine on loopback (<c>tcp://127.0.0.1:port</c>) for faults a real dockerd cannot produce on
/// demand: a plain HTTP/1.1 server on a socket, one request per connection (what Docker.DotNet sends), closing
/// after each answer, so a hijacked exec stream ends like the engine's. <c>GET /version</c> answers
/// <see cref="ApiVersion"/>; every other request goes to the handler.
/// </summary>
internal sealed class FakeDockerEngine : IDisposable
{
    private readonly Func<FakeEngineContext, Task> _handler;
    private readonly LoopbackTcpServer _server;

    public FakeDockerEngine(Func<FakeEngineContext, Task> handler, string apiVersion = "1.41")
    {
        _handler = handler;
        ApiVersion = apiVersion;
        _server = new LoopbackTcpServer(ServeAsync);
        Host = $"tcp://{_server.Address}";
    }

    public string Host { get; }

    public string ApiVersion { get; }

    /// <summary>Each request as <c>METHOD /path?query</c>, in arrival order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>The headers of the last request the handler saw.</summary>
    public IReadOnlyDictionary<string, string>? LastHeaders { get; private set; }

    public static Task WriteAsync(FakeEngineContext context, int status, string body, string contentType = "application/json") =>
        context.RespondAsync(status, Encoding.UTF8.GetBytes(body), contentType);

    public void Dispose() => _server.Dispose();

    private async Task ServeAsync(Socket socket, CancellationToken stop)
    {
        using var connection = new NetworkStream(socket, ownsSocket: true);
        try
        {
            var (method, target, headers) = await ReadHeadAsync(connection, stop);
            var body = new byte[headers.TryGetValue("Content-Length", out var length) ? int.Parse(length, System.Globalization.CultureInfo.InvariantCulture) : 0];
            await connection.ReadExactlyAsync(body, stop);
            Requests.Enqueue($"{method} {target}");
            var context = new FakeEngineContext(method, new Uri(new Uri("http://fake"), target), headers, body, connection);
            if (target == "/version")
            {
                await WriteAsync(context, 200, $$"""{"Version":"fake","ApiVersion":"{{ApiVersion}}","MinAPIVersion":"1.12","Os":"linux"}""");
                return;
            }

            LastHeaders = headers;
            await _handler(context);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or EndOfStreamException)
        {
            // The client went away.
        }
    }

    /// <summary>Reads the request line and headers, byte by byte up to the blank line (the body follows).</summary>
    private static async Task<(string Method, string Target, Dictionary<string, string> Headers)> ReadHeadAsync(Stream connection, CancellationToken stop)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (head.Count < 4 || !(head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
        {
            await connection.ReadExactlyAsync(one, stop);
            head.Add(one[0]);
        }

        var lines = Encoding.ASCII.GetString([.. head]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var requestLine = lines[0].Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        return (requestLine[0], requestLine[1], headers);
    }
}
