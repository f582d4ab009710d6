using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using GradientNode.Tests.Infrastructure;

namespace GradientNode.Tests.Proxy.Tls;

/// <summary>
/// An HTTP/2 client over TLS written frame by frame, as a browser's or gRPC's HTTP/2 layer behaves when its app stops
/// reading one stream: it keeps reading the connection (other streams, PINGs, SETTINGS) and keeps the connection's window
/// open, but stops opening that stream's window (no <c>WINDOW_UPDATE</c> for it) until the app reads again. The
/// server sees a stream whose window is used up, not a socket nobody reads.
/// </summary>
internal sealed class Http2TestConnection : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly SslStream _tls;
    private readonly SemaphoreSlim _write = new(1, 1);
    private readonly ConcurrentDictionary<int, StreamState> _streams = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reading;

    private Http2TestConnection(TcpClient tcp, SslStream tls)
    {
        _tcp = tcp;
        _tls = tls;
        _reading = Task.Run(ReadLoopAsync);
    }

    /// <summary>Why the connection ended (GOAWAY, a close by the server), or null while it is open.</summary>
    public string? Closed { get; private set; }

    /// <summary>
    /// Opens a TLS connection to <paramref name="port"/> with the SNI <paramref name="host"/> and ALPN h2 only, sends the preface
    /// and a SETTINGS frame whose initial stream window is <paramref name="initialWindow"/> bytes.
    /// </summary>
    public static async Task<Http2TestConnection> OpenAsync(int port, string host, X509Certificate2 trust, int initialWindow)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = host,
            ApplicationProtocols = [SslApplicationProtocol.Http2],
            RemoteCertificateValidationCallback = TestCertificates.TrustOnly(trust),
        });
        var settings = new byte[6];
        BinaryPrimitives.WriteUInt16BigEndian(settings, 4); // SETTINGS_INITIAL_WINDOW_SIZE
        BinaryPrimitives.WriteUInt32BigEndian(settings.AsSpan(2), (uint)initialWindow);
        await tls.WriteAsync(Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
        await tls.WriteAsync(Frame(4, 0, 0, settings));
        return new Http2TestConnection(tcp, tls);
    }

    /// <summary>
    /// Sends a GET of <paramref name="path"/> on <paramref name="stream"/> (odd, increasing), with <paramref name="grant"/> bytes
    /// added to its initial window; the window opens as it is read unless paused.
    /// </summary>
    public async Task GetAsync(int stream, string host, string path, bool paused = false, int grant = 0)
    {
        _streams[stream] = new StreamState { Paused = paused };
        var block = new MemoryStream();
        foreach (var (name, value) in new[] { (":method", "GET"), (":scheme", "https"), (":authority", host), (":path", path) })
        {
            // HPACK "literal header field without indexing, new name", no Huffman: lengths stay under 127 here.
            block.WriteByte(0);
            block.WriteByte(checked((byte)name.Length));
            block.Write(Encoding.ASCII.GetBytes(name));
            block.WriteByte(checked((byte)value.Length));
            block.Write(Encoding.ASCII.GetBytes(value));
        }

        await SendAsync(Frame(1, 0x4 | 0x1, stream, block.ToArray()));
        if (grant > 0)
        {
            await SendAsync(WindowUpdate(stream, grant));
        }
    }

    /// <summary>Stops opening <paramref name="stream"/>'s window: its app no longer reads.</summary>
    public void Pause(int stream) => _streams[stream].Paused = true;

    /// <summary>The app reads again: the window is opened by what arrived meanwhile, and from now on as data comes.</summary>
    public async Task ResumeAsync(int stream)
    {
        var state = _streams[stream];
        state.Paused = false;
        var owed = Interlocked.Exchange(ref state.Owed, 0);
        if (owed > 0)
        {
            await SendAsync(WindowUpdate(stream, owed));
        }
    }

    /// <summary>The data of <paramref name="stream"/> so far as text.</summary>
    public string Data(int stream)
    {
        var state = _streams[stream];
        lock (state)
        {
            return Encoding.ASCII.GetString(state.Data.ToArray());
        }
    }

    /// <summary>How the stream ended: <c>end</c> (END_STREAM), <c>reset</c> (RST_STREAM), or null while it runs.</summary>
    public string? Ended(int stream) => _streams[stream].Ended;

    /// <summary>Waits until <paramref name="stream"/> ended or the connection closed, at most <see cref="TestTimeouts.Request"/>.</summary>
    public Task WaitEndedAsync(int stream) =>
        TestTimeouts.WaitUntilAsync(() => Task.FromResult(Ended(stream) is not null || Closed is not null), TestTimeouts.Request, $"stream {stream} to end");

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _tcp.Dispose();
        await _reading.ContinueWith(_ => { }, TaskScheduler.Default);
        await _tls.DisposeAsync();
        _stop.Dispose();
        _write.Dispose();
    }

    private async Task ReadLoopAsync()
    {
        var head = new byte[9];
        try
        {
            while (true)
            {
                await _tls.ReadExactlyAsync(head, _stop.Token);
                var length = (head[0] << 16) | (head[1] << 8) | head[2];
                var (type, flags) = (head[3], head[4]);
                var stream = BinaryPrimitives.ReadInt32BigEndian(head.AsSpan(5)) & int.MaxValue;
                var payload = new byte[length];
                await _tls.ReadExactlyAsync(payload, _stop.Token);
                await OnFrameAsync(type, flags, stream, payload);
            }
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or ObjectDisposedException or OperationCanceledException)
        {
            Closed ??= "closed by the server: " + e.Message;
        }
    }

    private async Task OnFrameAsync(byte type, byte flags, int stream, byte[] payload)
    {
        switch (type)
        {
            case 0 when _streams.TryGetValue(stream, out var state):
                var padding = (flags & 0x8) != 0 ? payload[0] + 1 : 0;
                lock (state)
                {
                    state.Data.Write(payload, padding == 0 ? 0 : 1, payload.Length - padding);
                }

                if (payload.Length > 0)
                {
                    // The connection's window opens as data arrives (the HTTP/2 layer buffered it); the stream's as the app reads.
                    await SendAsync(WindowUpdate(0, payload.Length));
                    if (state.Paused)
                    {
                        Interlocked.Add(ref state.Owed, payload.Length);
                    }
                    else if ((flags & 0x1) == 0)
                    {
                        await SendAsync(WindowUpdate(stream, payload.Length));
                    }
                }

                if ((flags & 0x1) != 0)
                {
                    state.Ended = "end";
                }

                break;
            case 1 when (flags & 0x1) != 0 && _streams.TryGetValue(stream, out var state):
                state.Ended = "end";
                break;
            case 3 when _streams.TryGetValue(stream, out var state):
                state.Ended = "reset";
                break;
            case 4 when (flags & 0x1) == 0:
                await SendAsync(Frame(4, 0x1, 0, []));
                break;
            case 6 when (flags & 0x1) == 0:
                await SendAsync(Frame(6, 0x1, 0, payload));
                break;
            case 7:
                Closed = "GOAWAY";
                break;
        }
    }

    private async Task SendAsync(byte[] frame)
    {
        await _write.WaitAsync();
        try
        {
            await _tls.WriteAsync(frame);
        }
        finally
        {
            _write.Release();
        }
    }

    private static byte[] WindowUpdate(int stream, int increment)
    {
        var payload = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(payload, increment);
        return Frame(8, 0, stream, payload);
    }

    /// <summary>An HTTP/2 frame: its 9-byte header (length, type, flags, stream) and <paramref name="payload"/>.</summary>
    internal static byte[] Frame(byte type, byte flags, int stream, byte[] payload)
    {
        var frame = new byte[9 + payload.Length];
        frame[0] = (byte)(payload.Length >> 16);
        frame[1] = (byte)(payload.Length >> 8);
        frame[2] = (byte)payload.Length;
        frame[3] = type;
        frame[4] = flags;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(5), stream);
        payload.CopyTo(frame, 9);
        return frame;
    }

    private sealed class StreamState
    {
        public volatile bool Paused;
        public int Owed;
        public volatile string? Ended;

        public MemoryStream Data { get; } = new();
    }
}
