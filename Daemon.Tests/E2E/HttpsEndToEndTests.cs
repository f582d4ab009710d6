using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using GradientNode.Core.Engine;
using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using GradientNode.Tests.Proxy.Tls;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>The published binary with an https listener and its own CA, a real container behind it, a client that trusts only that CA.</summary>
[TestFixture]
[Category("E2E")]
[NonParallelizable]
internal sealed class HttpsEndToEndTests
{
    private DockerEngine _engine = null!;
    private GradientNodeProcess? _node;

    [SetUp]
    public async Task SetUp() => _engine = await TestEnvironment.RequireEngineAsync();

    [TearDown]
    public async Task TearDown()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }

        _engine.Dispose();
    }

    [Test]
    public async Task Https_NodeCaTrustedByClient_ServesOverHttp2RedirectsPlainHttpAndStatusShowsHttpsEndpoint()
    {
        var httpsPort = FreePort();
        _node = GradientNodeProcess.Prepare();
        await _node.StartAsync(extraArgs: ["--listen", $"https://127.0.0.1:{httpsPort}"]);
        await _node.WriteSpecAsync("web.yaml", SpecYaml.V1("tlsweb", replicas: 1));
        var status = await _node.WaitForStatusAsync("tlsweb", s => s.State == DeploymentState.Ready, "Ready");

        var ca = await _node.CliAsync("tls", "ca", "--state-dir", _node.StateDir);
        Assert.That(ca.ExitCode, Is.Zero, ca.ToString());
        Assert.That(ca.Stdout, Does.StartWith("-----BEGIN CERTIFICATE-----").And.Not.Contain("PRIVATE KEY"));
        using var authority = X509Certificate2.CreateFromPem(ca.Stdout);
        using var https = Client(httpsPort, authority, followRedirects: false);
        https.DefaultRequestVersion = HttpVersion.Version20;
        https.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        var url = $"https://tlsweb.localhost:{httpsPort}";
        var last = HttpStatusCode.NotFound;
        await TestTimeouts.WaitUntilAsync(
            async () => (last = (await https.GetAsync(url + "/")).StatusCode) == HttpStatusCode.OK,
            TestTimeouts.Container,
            $"tlsweb over https (last {(int)last})");

        using var env = await https.GetAsync(url + "/cgi-bin/env");
        var body = await env.Content.ReadAsStringAsync();
        using var plain = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false });
        using var redirected = await plain.SendAsync(_node.ProxyRequest("tlsweb", "/cgi-bin/env?x=1"));

        Assert.Multiple(() =>
        {
            Assert.That(status.Endpoint, Is.EqualTo($"https://tlsweb.localhost:{httpsPort}/"));
            Assert.That(env.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(env.Version, Is.EqualTo(HttpVersion.Version20));
            Assert.That(body, Does.Contain("HTTP_X_FORWARDED_PROTO=https"));
            Assert.That(redirected.StatusCode, Is.EqualTo(HttpStatusCode.PermanentRedirect));
            Assert.That(redirected.Headers.Location?.ToString(), Is.EqualTo($"https://tlsweb.localhost:{httpsPort}/cgi-bin/env?x=1"));
            Assert.That(File.GetUnixFileMode(Path.Combine(_node.StateDir, "tls", "ca.key")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        });
    }

    [Test]
    public async Task Start_MismatchedTlsKey_ExitsOneNamingTheKeyFile()
    {
        using var ca = new TestCertificates();
        _node = GradientNodeProcess.Prepare();
        var dir = Directory.CreateDirectory(Path.Combine(_node.Root, "tls-files")).FullName;
        var (cert, _) = ca.Write(dir, "a", "*.localhost");
        var (_, key) = ca.Write(dir, "b", "*.localhost");

        var result = await _node.CliAsync("up", "--specs-dir", _node.SpecsDir, "--state-dir", _node.StateDir, "--run-dir", _node.RunDir,
            "--docker-host", TestEnvironment.DockerHost, "--node-name", _node.NodeName,
            "--listen", $"https://127.0.0.1:{FreePort()}", "--tls-cert", cert, "--tls-key", key);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Stderr, Does.Contain($"{key}: the private key does not match the certificate"));
    }

    private static HttpClient Client(int port, X509Certificate2 authority, bool followRedirects)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = followRedirects,
            ConnectCallback = async (_, token) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), token);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        handler.SslOptions.RemoteCertificateValidationCallback = TestCertificates.TrustOnly(authority);
        return new HttpClient(handler) { Timeout = TestTimeouts.Request };
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
