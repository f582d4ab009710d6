using System.Buffers.Binary;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using GradientNode.Tests.Infrastructure;
using GradientNode.Tests.Proxy.Hosting;
using NUnit.Framework;

namespace GradientNode.Tests.Proxy.Tls;

/// <summary>
/// HTTP/2 carries the host twice, as <c>:authority</c> and as a <c>host</c> header, and a client may make them differ
/// (HttpClient cannot, so these tests write the frames themselves). If routing read one and the password check the
/// other, a protected deployment would answer without its password: none of the shapes below may reach it. The TLS
/// name (SNI) is a third: it picks the certificate only.
/// </summary>
internal sealed partial class HttpsProxyTests
{
    private static readonly string[] AuthorityShapes = ["authority public, host protected", "authority protected, host public"];

    [TestCaseSource(nameof(AuthorityShapes))]
    public async Task Http2_AuthorityAndHostDiffer_ProtectedReplicaNeverAnswersWithoutThePassword(string shape)
    {
        var secure = await BackendAsync("secure");
        var open = await BackendAsync("open");
        var proxy = await ProxyAsync(null, Protected(secure), ProxyHarness.Route("open", open));
        var (authority, host) = shape.StartsWith("authority public", StringComparison.Ordinal)
            ? ("open", "secure")
            : ("secure", "open");

        var body = await RawHttp2GetAsync(proxy, [
            (":authority", $"{authority}.{ProxyHarness.Domain}:{proxy.HttpsPort}"),
            ("host", $"{host}.{ProxyHarness.Domain}:{proxy.HttpsPort}"),
        ]);

        Assert.That(body, Does.Not.Contain("backend secure"), $"{shape}: the protected replica answered");
        Assert.That(body, authority == "open" ? Is.EqualTo("backend open") : Does.Contain("unauthorized"), $"{shape}: :authority decides the route (Kestrel sets Host from it), so the check and the route see one host");
    }

    [Test]
    public async Task Http2_RawFramesWithThePassword_TheProtectedReplicaAnswers()
    {
        // The control of the shapes above: the same hand-written frames with the password do reach the replica.
        var secure = await BackendAsync("secure");
        var proxy = await ProxyAsync(null, Protected(secure));

        var body = await RawHttp2GetAsync(proxy, [
            (":authority", $"secure.{ProxyHarness.Domain}:{proxy.HttpsPort}"),
            ("authorization", "Basic " + GoodToken),
        ]);

        Assert.That(body, Does.Contain("backend secure"));
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task Http11_SniOfThePublicDeploymentHostOfTheProtectedOne_ServedAsTheHostWithItsPasswordChecked(bool withPassword)
    {
        // SNI and Host may differ and are not refused (421): browsers send one HTTP/2 connection's requests to every
        // host its certificate covers. The certificate is the SNI's, and the route and password are the Host's.
        var secure = await BackendAsync("secure");
        var open = await BackendAsync("open");
        var proxy = await ProxyAsync(null, Protected(secure), ProxyHarness.Route("open", open));
        using var timeout = new CancellationTokenSource(TestTimeouts.Condition);
        await using var tls = await OpenTlsAsync(proxy, SslApplicationProtocol.Http11, timeout.Token);
        var password = withPassword ? $"Authorization: Basic {GoodToken}\r\n" : "";

        await tls.WriteAsync(Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: secure.{ProxyHarness.Domain}\r\n{password}Connection: close\r\n\r\n"), timeout.Token);
        var answer = await new StreamReader(tls, Encoding.ASCII).ReadToEndAsync(timeout.Token);

        Assert.That(answer, withPassword
            ? Does.StartWith("HTTP/1.1 200 ").And.Contain("backend secure")
            : Does.StartWith("HTTP/1.1 401 ").And.Not.Contain("backend secure").And.Not.Contain("backend open"));
    }

    /// <summary>A TLS connection to the proxy with the SNI of <c>open</c> and only <paramref name="protocol"/> offered by ALPN (the stream owns the socket).</summary>
    private static async Task<SslStream> OpenTlsAsync(HttpsFixture proxy, SslApplicationProtocol protocol, CancellationToken cancellationToken)
    {
        var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, proxy.HttpsPort, cancellationToken);
            var tls = new SslStream(client.GetStream());
            await tls.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = $"open.{ProxyHarness.Domain}",
                    ApplicationProtocols = [protocol],
                    RemoteCertificateValidationCallback = TestCertificates.TrustOnly(proxy.Ca.Authority),
                },
                cancellationToken);
            return tls;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>One GET of <c>/</c> on a fresh TLS connection with ALPN h2; the DATA of stream 1 as text.</summary>
    private static async Task<string> RawHttp2GetAsync(HttpsFixture proxy, (string Name, string Value)[] headers)
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Condition);
        await using var tls = await OpenTlsAsync(proxy, SslApplicationProtocol.Http2, timeout.Token);
        Assert.That(tls.NegotiatedApplicationProtocol, Is.EqualTo(SslApplicationProtocol.Http2));

        var block = new MemoryStream();
        foreach (var (name, value) in (ReadOnlySpan<(string, string)>)[(":method", "GET"), (":scheme", "https"), (":path", "/"), .. headers])
        {
            // HPACK "literal header field without indexing, new name", no Huffman: lengths stay under 127 here.
            block.WriteByte(0);
            block.WriteByte(checked((byte)name.Length));
            block.Write(Encoding.ASCII.GetBytes(name));
            block.WriteByte(checked((byte)value.Length));
            block.Write(Encoding.ASCII.GetBytes(value));
        }

        await tls.WriteAsync(Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), timeout.Token);
        await tls.WriteAsync(Frame(type: 4, flags: 0, stream: 0, []), timeout.Token);
        await tls.WriteAsync(Frame(type: 1, flags: 0x4 | 0x1, stream: 1, block.ToArray()), timeout.Token);

        var data = new StringBuilder();
        var header = new byte[9];
        while (true)
        {
            await tls.ReadExactlyAsync(header, timeout.Token);
            var length = (header[0] << 16) | (header[1] << 8) | header[2];
            var (type, flags) = (header[3], header[4]);
            var stream = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(5)) & int.MaxValue;
            var payload = new byte[length];
            await tls.ReadExactlyAsync(payload, timeout.Token);
            if (type == 0 && stream == 1)
            {
                var padding = (flags & 0x8) != 0 ? payload[0] + 1 : 0;
                data.Append(Encoding.UTF8.GetString(payload, padding == 0 ? 0 : 1, length - padding));
            }

            var ended = stream == 1 && (type is 0 or 1) && (flags & 0x1) != 0;
            if (ended || type == 7 || (type == 3 && stream == 1))
            {
                return data.ToString();
            }
        }
    }

    private static byte[] Frame(byte type, byte flags, int stream, byte[] payload) => Http2TestConnection.Frame(type, flags, stream, payload);
}
