using System.Buffers.Binary;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using GradientNode.Core.Routing;
using GradientNode.Proxy;
using GradientNode.Proxy.Hosting;
using GradientNode.Proxy.Tls;
using GradientNode.Tests.Infrastructure;
using GradientNode.Tests.Proxy.Hosting;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace GradientNode.Tests.Proxy.Tls;

/// <summary>
/// HTTP/2 rapid reset (CVE-2023-44487) against the https listener, from raw frames: Kestrel aborts each such connection,
/// the proxy goes on serving, and the journal gets a Critical line or two for the flood, not several per connection.
/// </summary>
[TestFixture]
[Category("Proxy")]
internal sealed class RapidResetTests
{
    [Test]
    public async Task Https_RapidResetConnectionsInALoop_EachAbortedOthersServedAndOneOrTwoCriticalLines()
    {
        var logs = new RecordingLoggerProvider();
        using var ca = new TestCertificates();
        var certDir = Directory.CreateTempSubdirectory("gn-tls-").FullName;
        try
        {
            var (cert, key) = ca.Write(certDir, "wildcard", "*." + ProxyHarness.Domain, ProxyHarness.Domain);
            await using var backend = await TestBackend.StartAsync("r1");
            await using var proxy = await ProxyHarness.StartAsync(
                o => o with { ListenUrls = ["https://127.0.0.1:0"], Tls = new ProxyTlsOptions { CertificateFile = cert, KeyFile = key } },
                logs,
                ProxyHarness.Route("web", backend));

            var aborted = 0;
            for (var i = 0; i < 5; i++)
            {
                aborted += await RapidResetAsync(proxy.Port, $"web.{ProxyHarness.Domain}") ? 1 : 0;
            }

            using var client = new HttpClient(new SocketsHttpHandler
            {
                SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
                ConnectCallback = async (_, token) =>
                {
                    var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, proxy.Port), token);
                    return new NetworkStream(socket, ownsSocket: true);
                },
            }) { Timeout = TestTimeouts.Request };
            using var ok = await client.GetAsync($"https://web.{ProxyHarness.Domain}:{proxy.Port}/");
            var critical = logs.Entries.Where(e => e.Level == LogLevel.Critical && e.Category == CriticalLogThrottle.Category).ToList();

            Assert.Multiple(() =>
            {
                Assert.That(aborted, Is.EqualTo(5), "Kestrel ends every flooding connection");
                Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK), "another client is served");
                // Before: a Critical line per connection, and several per connection (130 a second from one small script).
                Assert.That(critical, Has.Count.InRange(1, 2), string.Join("\n", critical.Select(c => c.Message)));
            });
        }
        finally
        {
            Directory.Delete(certDir, recursive: true);
        }
    }

    /// <summary>Opens an h2 connection and sends HEADERS + RST_STREAM pairs until the server closes it (true) or 50,000 were sent (false).</summary>
    private static async Task<bool> RapidResetAsync(int port, string host)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        await using var tls = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = host,
            ApplicationProtocols = [SslApplicationProtocol.Http2],
        });
        var reading = DrainAsync(tls);
        await tls.WriteAsync(Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
        await tls.WriteAsync(Frame(4, 0, 0, []));
        var headers = new List<byte> { 0x82, 0x87, 0x84, 0x00, 10 }; // GET, https, /, then :authority as a literal
        headers.AddRange(Encoding.ASCII.GetBytes(":authority"));
        headers.Add((byte)host.Length);
        headers.AddRange(Encoding.ASCII.GetBytes(host));
        var cancel = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(cancel, 8);
        try
        {
            for (var stream = 1; stream < 100_000 && !reading.IsCompleted; stream += 2)
            {
                var batch = new MemoryStream();
                batch.Write(Frame(1, 0x4, stream, [.. headers]));
                batch.Write(Frame(3, 0, stream, cancel));
                await tls.WriteAsync(batch.ToArray());
            }
        }
        catch (IOException)
        {
            return true; // the server closed the connection while we wrote
        }

        return await reading.WaitAsync(TestTimeouts.Request);
    }

    private static async Task<bool> DrainAsync(Stream stream)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (await stream.ReadAsync(buffer) > 0)
            {
            }
        }
        catch (IOException)
        {
        }

        return true;
    }

    private static byte[] Frame(byte type, byte flags, int stream, byte[] payload) => Http2TestConnection.Frame(type, flags, stream, payload);
}
