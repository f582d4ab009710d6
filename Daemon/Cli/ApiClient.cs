using System.Net.Sockets;

namespace GradientNode.Daemon.Cli;

/// <summary>HTTP/1.1 to the daemon's unix socket. Unreachable daemon → <see cref="DaemonUnreachableException"/>.</summary>
internal sealed class ApiClient : IDisposable
{
    private readonly HttpClient _http;

    public ApiClient(string socketPath)
    {
        SocketPath = socketPath;
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        _http = new HttpClient(handler) { BaseAddress = new Uri("http://gradient-node/"), Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>What a client verb prints when the daemon cut a stream it was reading (it stopped or restarted).</summary>
    public const string StreamCut = "error: the daemon closed the stream before it ended (it stopped or is restarting); run the command again once it is back";

    public string SocketPath { get; }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken, bool stream = false)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        try
        {
            return await _http.SendAsync(request, stream ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        catch (HttpRequestException ex) when (ex.InnerException is SocketException or IOException || ex.HttpRequestError == HttpRequestError.ConnectionError)
        {
            throw new DaemonUnreachableException(UnreachableMessage(SocketPath, ex));
        }
    }

    /// <summary>
    /// What a client says when it cannot connect. A socket it may not open (EACCES: the caller is neither root nor in
    /// the socket group) is no sign of a stopped daemon, so that case says who may use it and how to become one
    /// (<see cref="SocketPermissionMessage"/>: after the socket file's own group).
    /// </summary>
    internal static string UnreachableMessage(string socketPath, HttpRequestException ex)
    {
        if (ex.InnerException is SocketException { SocketErrorCode: SocketError.AccessDenied })
        {
            return SocketPermissionMessage.For(socketPath, SocketPermissionMessage.Inspect(socketPath), new Security.NssUserDatabase().GroupId("gradient") is not null);
        }

        return $"cannot reach gradient-node at {socketPath}: {Why(socketPath, ex)}. Is the daemon running (gradient-node up | daemon)? Use --socket or GRADIENT_SOCKET to point elsewhere.";
    }

    public void Dispose() => _http.Dispose();

    /// <summary>
    /// .NET reports a unix socket path that does not exist as "Cannot assign requested address" (ENOENT read as
    /// EADDRNOTAVAIL), which names no cause a user can act on; say that there is no socket there instead.
    /// </summary>
    private static string Why(string socketPath, HttpRequestException ex) =>
        !File.Exists(socketPath) ? "no socket file there" : ex.InnerException?.Message ?? ex.Message;
}
