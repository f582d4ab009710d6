using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using GradientNode.Core.Routing;
using GradientNode.Proxy.Tls;
using GradientNode.Tests.Infrastructure;
using GradientNode.Tests.Proxy.Hosting;
using NUnit.Framework;

namespace GradientNode.Tests.Proxy.Tls;

/// <summary>
/// The real proxy on the default single-label domain (<c>localhost</c>) with the node CA: a certificate is issued at the
/// handshake only for a host the proxy routes. Any network client picks SNI names, and before, each new name made the
/// node sign a key and, past 256, emptied the cache that real clients' certificates were in.
/// </summary>
[TestFixture]
[Category("Proxy")]
[NonParallelizable]
internal sealed class OnDemandHttpsTests
{
    private const string IssuedLine = "Node CA issued a certificate for ";

    private readonly List<IAsyncDisposable> _disposables = [];
    private string _state = null!;

    [SetUp]
    public void SetUp() => _state = Directory.CreateTempSubdirectory("gn-ondemand-state-").FullName;

    [TearDown]
    public async Task TearDown()
    {
        for (var i = _disposables.Count - 1; i >= 0; i--)
        {
            await _disposables[i].DisposeAsync();
        }

        _disposables.Clear();
        Directory.Delete(_state, recursive: true);
    }

    [Test]
    public async Task Handshake_UnknownSniNames_DefaultCertificateAndNoIssuanceWhileRoutedHostsGetTheirOwn()
    {
        var backend = await TestBackend.StartAsync("a");
        _disposables.Add(backend);
        var logs = new RecordingLoggerProvider();
        var proxy = await ProxyHarness.StartAsync(
            o => o with
            {
                Domain = "localhost",
                ListenUrls = ["https://127.0.0.1:0"],
                Tls = new ProxyTlsOptions { AuthorityDirectory = NodeCertificateAuthority.DirectoryUnder(_state) },
            },
            logs,
            ProxyHarness.Route("hello", backend));
        _disposables.Insert(0, proxy);
        var port = proxy.Port;
        using var ca = X509Certificate2.CreateFromPem(NodeCertificateAuthority.ReadCertificatePem(_state)!);

        var unknown = new List<string[]>();
        for (var i = 0; i < 40; i++)
        {
            using var served = await HandshakeAsync(port, $"nosuch{i}.localhost");
            unknown.Add(DnsNames(served));
        }

        using var client = Client(port, ca);
        using var hello = await client.GetAsync(new Uri($"https://hello.localhost:{port}/"));
        var helloBody = await hello.Content.ReadAsStringAsync();
        using var helloCertificate = await HandshakeAsync(port, "hello.localhost");

        await proxy.PublishAsync(ProxyHarness.Route("hello", backend), ProxyHarness.Route("later", backend));
        using var later = await client.GetAsync(new Uri($"https://later.localhost:{port}/"));
        var laterBody = await later.Content.ReadAsStringAsync();

        // Event 6005's line (the node's own *.localhost certificate is issued at start with another).
        var issued = logs.Entries.Select(e => e.Message)
            .Where(m => m.StartsWith(IssuedLine, StringComparison.Ordinal) && m.EndsWith("(single-label domain: exact names)", StringComparison.Ordinal)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(unknown, Has.All.EquivalentTo(new[] { "*.localhost", "localhost" }), "an unknown name gets the node's default certificate");
            Assert.That(issued, Has.Count.EqualTo(2), string.Join("\n", issued));
            Assert.That(issued, Has.One.StartsWith(IssuedLine + "hello.localhost ").And.One.StartsWith(IssuedLine + "later.localhost "));
            Assert.That(proxy.Server.Certificates!.OnDemand!.Count, Is.EqualTo(2));
            Assert.That(helloBody, Is.EqualTo("backend a"));
            Assert.That(helloCertificate.MatchesHostname("hello.localhost"), Is.True);
            Assert.That(DnsNames(helloCertificate), Is.EqualTo(new[] { "hello.localhost" }));
            Assert.That(laterBody, Is.EqualTo("backend a"), "a deployment routed after start is issued at its first handshake");
        });
    }

    /// <summary>The DNS names of a certificate's subject alternative names.</summary>
    internal static string[] DnsNames(X509Certificate2 certificate) =>
        [.. certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(e => e.EnumerateDnsNames())];

    /// <summary>One TLS handshake with <paramref name="serverName"/> as SNI; the certificate served, whatever it names.</summary>
    internal static async Task<X509Certificate2> HandshakeAsync(int port, string serverName)
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Condition);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(
            new SslClientAuthenticationOptions { TargetHost = serverName, RemoteCertificateValidationCallback = (_, _, _, _) => true },
            timeout.Token);
        return X509CertificateLoader.LoadCertificate(tls.RemoteCertificate!.GetRawCertData());
    }

    /// <summary>A client that connects every host to <paramref name="port"/> and trusts only <paramref name="ca"/>, names checked.</summary>
    private static HttpClient Client(int port, X509Certificate2 ca)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        handler.SslOptions.RemoteCertificateValidationCallback = TestCertificates.TrustOnly(ca);
        return new HttpClient(handler) { Timeout = TestTimeouts.Request };
    }
}
