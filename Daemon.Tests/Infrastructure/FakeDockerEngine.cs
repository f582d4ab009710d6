using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GradientNode.Tests.Infrastructure;

/// <summary>
/// A scripted Docker Engine on loopback HTTP (<c>tcp://127.0.0.1:port</c>) for faults a real dockerd cannot
/// produce on demand. <c>GET /version</c> answers <see cref="ApiVersion"/>; every other request goes to the handler.
/// </summary>
internal sealed class FakeDockerEngine : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<HttpListenerContext, Task> _handler;
    private readonly Task _loop;

    public FakeDockerEngine(Func<HttpListenerContext, Task> handler, string apiVersion = "1.41")
    {
        _handler = handler;
        ApiVersion = apiVersion;
        var port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        Host = $"tcp://127.0.0.1:{port}";
        _loop = Task.Run(AcceptLoopAsync);
    }

    public string Host { get; }

    public string ApiVersion { get; }

    /// <summary>Each request as <c>METHOD /path?query</c>, in arrival order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>The headers of the last request the handler saw.</summary>
    public WebHeaderCollection? LastHeaders { get; private set; }

    public static async Task WriteAsync(HttpListenerContext context, int status, string body, string contentType = "application/json")
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }

    public void Dispose()
    {
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The accept loop ends with the listener.
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task AcceptLoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            var path = context.Request.Url!.PathAndQuery;
            Requests.Enqueue($"{context.Request.HttpMethod} {path}");
            if (path == "/version")
            {
                await WriteAsync(context, 200, $$"""{"Version":"fake","ApiVersion":"{{ApiVersion}}","MinAPIVersion":"1.12","Os":"linux"}""");
                continue;
            }

            LastHeaders = (WebHeaderCollection)context.Request.Headers;
            await _handler(context);
        }
    }
}
