using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using GradientNode.Core.Routing;
using GradientNode.Proxy.Hosting;
using GradientNode.Proxy.Tls;
using GradientNode.Tests.Infrastructure;
using GradientNode.Tests.Proxy.Hosting;

namespace GradientNode.Tests.Proxy.Tls;

/// <summary>
/// A real proxy with an https and an http listener on loopback, a test CA whose wildcard <c>*.test.local</c> it
/// serves from files, and clients that trust only that CA and connect every host name to the chosen listener.
/// </summary>
internal sealed class HttpsFixture : IAsyncDisposable
{
    private readonly List<IDisposable> _clients = [];

    private HttpsFixture(ProxyHarness harness, TestCertificates ca, string certDir, string cert, string key)
    {
        Harness = harness;
        Ca = ca;
        CertDir = certDir;
        CertFile = cert;
        KeyFile = key;
        HttpsPort = new Uri(harness.Server.Urls.First(KestrelListeners.IsHttps)).Port;
        HttpPort = new Uri(harness.Server.Urls.First(u => !KestrelListeners.IsHttps(u))).Port;
    }

    public ProxyHarness Harness { get; }

    public ProxyServer Server => Harness.Server;

    public TestCertificates Ca { get; }

    public string CertDir { get; }

    public string CertFile { get; }

    public string KeyFile { get; }

    public int HttpsPort { get; }

    public int HttpPort { get; }

    /// <summary>Starts the proxy; <paramref name="tls"/> adjusts the TLS options (the wildcard files are set already).</summary>
    public static async Task<HttpsFixture> StartAsync(Func<ProxyTlsOptions, ProxyTlsOptions>? tls = null, params DeploymentRoute[] routes)
    {
        var ca = new TestCertificates();
        var certDir = Directory.CreateTempSubdirectory("gn-tls-").FullName;
        var (cert, key) = ca.Write(certDir, "wildcard", "*." + ProxyHarness.Domain, ProxyHarness.Domain);
        var options = new ProxyTlsOptions { CertificateFile = cert, KeyFile = key, WatchDebounce = TimeSpan.FromMilliseconds(100) };
        var harness = await ProxyHarness.StartAsync(
            o => o with { ListenUrls = ["https://127.0.0.1:0", "http://127.0.0.1:0"], Tls = tls?.Invoke(options) ?? options },
            routes);
        return new HttpsFixture(harness, ca, certDir, cert, key);
    }

    public Uri Https(string slug, string path = "/") => new($"https://{slug}.{ProxyHarness.Domain}:{HttpsPort}{path}");

    public Uri Http(string slug, string path = "/") => new($"http://{slug}.{ProxyHarness.Domain}:{HttpPort}{path}");

    /// <summary>A client with its own connection pool to <paramref name="port"/>, trusting <paramref name="trust"/> (the test CA by default).</summary>
    public HttpClient Client(int port, Action<X509Certificate2>? seen = null, X509Certificate2? trust = null, Version? version = null)
    {
        var client = new HttpClient(Handler(port, seen, trust)) { Timeout = TestTimeouts.Request };
        if (version is not null)
        {
            client.DefaultRequestVersion = version;
            client.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }

        _clients.Add(client);
        return client;
    }

    /// <summary>The handler behind <see cref="Client"/> (for a WebSocket or a raw invoker); disposed with the fixture.</summary>
    public SocketsHttpHandler Handler(int port, Action<X509Certificate2>? seen = null, X509Certificate2? trust = null)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            MaxConnectionsPerServer = 1,
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        handler.SslOptions.RemoteCertificateValidationCallback = TestCertificates.TrustOnly(trust ?? Ca.Authority, seen);
        _clients.Add(handler);
        return handler;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await Harness.DisposeAsync();
        Ca.Dispose();
        Directory.Delete(CertDir, recursive: true);
    }
}
