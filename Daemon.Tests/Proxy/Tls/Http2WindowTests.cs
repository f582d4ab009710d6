using System.Buffers.Binary;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using GradientNode.Proxy;
using GradientNode.Proxy.Tls;
using GradientNode.Tests.Infrastructure;
using GradientNode.Tests.Proxy.Hosting;
using NUnit.Framework;

namespace GradientNode.Tests.Proxy.Tls;

/// <summary>
/// What an HTTP/2 client may send on the https listener before the app reads a byte: the flow-control windows the proxy
/// advertises. <see cref="ProxyOptions.MaxRequestBufferSize"/> bounds what a held request's body pins over HTTP/1.1; over
/// HTTP/2 Kestrel's own windows do (768 KiB a stream, 1 MiB a connection), the bound docs/design/proxy.md gives (the eleventh
/// adversary review found it undocumented; windows of 64 KiB made a 4 MiB upload 15 times slower, so they stay).
/// </summary>
[TestFixture]
[Category("Proxy")]
internal sealed class Http2WindowTests
{
    [Test]
    public async Task Https_Http2Preface_StreamAndConnectionWindowsAreTheDocumentedBoundAndABodyManyWindowsLongStreams()
    {
        using var ca = new TestCertificates();
        var certDir = Directory.CreateTempSubdirectory("gn-tls-").FullName;
        try
        {
            var (cert, key) = ca.Write(certDir, "wildcard", "*." + ProxyHarness.Domain, ProxyHarness.Domain);
            await using var backend = await TestBackend.StartAsync("r1");
            await using var proxy = await ProxyHarness.StartAsync(
                o => o with { ListenUrls = ["https://127.0.0.1:0"], Tls = new ProxyTlsOptions { CertificateFile = cert, KeyFile = key } },
                ProxyHarness.Route("web", backend));

            var (streamWindow, connectionWindow) = await WindowsAsync(proxy.Port, $"web.{ProxyHarness.Domain}");
            using var client = new HttpClient(new SocketsHttpHandler
            {
                SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
                ConnectCallback = async (_, token) =>
                {
                    var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, proxy.Port), token);
                    return new NetworkStream(socket, ownsSocket: true);
                },
            }) { Timeout = TestTimeouts.Request, DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
            var body = new byte[4 << 20];
            new Random(11).NextBytes(body);
            using var upload = await client.PostAsync($"https://web.{ProxyHarness.Domain}:{proxy.Port}/digest", new ByteArrayContent(body));
            var digest = await upload.Content.ReadAsStringAsync();

            Assert.Multiple(() =>
            {
                Assert.That(streamWindow, Is.LessThanOrEqualTo(768 * 1024), "SETTINGS_INITIAL_WINDOW_SIZE");
                Assert.That(connectionWindow, Is.LessThanOrEqualTo(1024 * 1024), "the connection's window (65,535 and its WINDOW_UPDATEs)");
                Assert.That(upload.Version, Is.EqualTo(HttpVersion.Version20));
                Assert.That(digest, Is.EqualTo($"{body.Length} {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(body))}"), "a body many windows long still streams through");
            });
        }
        finally
        {
            Directory.Delete(certDir, recursive: true);
        }
    }

    /// <summary>Opens an h2 connection and reads the server's frames until it acknowledges the client's SETTINGS.</summary>
    private static async Task<(long Stream, long Connection)> WindowsAsync(int port, string host)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        await using var tls = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = host, ApplicationProtocols = [SslApplicationProtocol.Http2] });
        await tls.WriteAsync(Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
        await tls.WriteAsync(new byte[] { 0, 0, 0, 4, 0, 0, 0, 0, 0 });
        long streamWindow = 65_535, connectionWindow = 65_535;
        using var timeout = new CancellationTokenSource(TestTimeouts.Request);
        var head = new byte[9];
        while (true)
        {
            await tls.ReadExactlyAsync(head, timeout.Token);
            var length = (head[0] << 16) | (head[1] << 8) | head[2];
            var payload = new byte[length];
            await tls.ReadExactlyAsync(payload, timeout.Token);
            var streamId = BinaryPrimitives.ReadInt32BigEndian(head.AsSpan(5)) & 0x7FFFFFFF;
            if (head[3] == 4 && (head[4] & 1) == 1)
            {
                return (streamWindow, connectionWindow);
            }

            if (head[3] == 4)
            {
                for (var i = 0; i + 6 <= length; i += 6)
                {
                    if (BinaryPrimitives.ReadUInt16BigEndian(payload.AsSpan(i)) == 4)
                    {
                        streamWindow = BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(i + 2));
                    }
                }
            }
            else if (head[3] == 8 && streamId == 0)
            {
                connectionWindow += BinaryPrimitives.ReadUInt32BigEndian(payload) & 0x7FFFFFFF;
            }
        }
    }
}
