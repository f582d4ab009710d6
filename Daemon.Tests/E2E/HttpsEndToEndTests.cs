using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using GradientNode.Core.Engine;
using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using GradientNode.Tests.Proxy.Tls;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>The published binary with an https listener and its own CA, a real container behind it, a client that trusts only that CA.</summary>
[TestFixture]
[Category("E2E")]
[Parallelizable(ParallelScope.Self)]
internal sealed partial class HttpsEndToEndTests
{
    private const string Locked = "tlslocked";
    private const string Password = "tls-e2e-password";

    // "paperspace:tls-e2e-password" and "paperspace:wrong" in base64.
    private static readonly string RightToken = Convert.ToBase64String(Encoding.UTF8.GetBytes("paperspace:" + Password));
    private static readonly string WrongToken = Convert.ToBase64String(Encoding.UTF8.GetBytes("paperspace:wrong"));

    private readonly List<HttpClient> _clients = [];
    private DockerEngine? _engine;
    private GradientNodeProcess? _node;

    [SetUp]
    public async Task SetUp() => _engine = await TestEnvironment.RequireEngineAsync();

    [TearDown]
    public async Task TearDown()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        _clients.Clear();
        if (_node is not null)
        {
            await _node.DisposeAsync();
            _node = null;
        }

        _engine?.Dispose();
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
        Assert.That(_node.Output, Does.Contain($"clients trust it: gradient-node tls ca --state-dir {Path.GetFullPath(_node.StateDir)} > gradient-node-ca.crt"), "the start says how to trust the node CA");
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
    public async Task BasicAuth_OverHttps_RightPasswordOnlyAndOverPlainHttpRedirectedWithoutBeingChecked()
    {
        var (port, https) = await StartProtectedAsync();
        var url = $"https://{Locked}.localhost:{port}";

        using var anonymous = await https.GetAsync(url + "/");
        using var wrong = await https.SendAsync(WithAuthorization(HttpMethod.Get, url + "/", WrongToken));
        using var right = await https.SendAsync(WithAuthorization(HttpMethod.Get, url + "/cgi-bin/env", RightToken));
        var app = await right.Content.ReadAsStringAsync();
        using var plain = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false });
        using var plainRight = await plain.SendAsync(Plain(HttpMethod.Post, "/cgi-bin/env?x=1", RightToken));
        using var plainWrong = await plain.SendAsync(Plain(HttpMethod.Post, "/cgi-bin/env?x=1", WrongToken));

        Assert.Multiple(async () =>
        {
            Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(anonymous.Headers.WwwAuthenticate.ToString(), Is.EqualTo($"Basic realm=\"{Locked}\""));
            Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(wrong.Headers.WwwAuthenticate.ToString(), Is.EqualTo($"Basic realm=\"{Locked}\""));
            Assert.That(right.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(app, Does.Contain("HTTP_X_FORWARDED_PROTO=https").And.Not.Contain("HTTP_AUTHORIZATION"), "the app never sees the password");

            // Over plain HTTP the same header gets the same 308 whether it is right or wrong: it is not checked, and
            // the answer is the proxy's own (no app output), so nothing was forwarded.
            foreach (var response in new[] { plainRight, plainWrong })
            {
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.PermanentRedirect));
                Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"{url}/cgi-bin/env?x=1"));
                Assert.That(response.Headers.WwwAuthenticate, Is.Empty);
                Assert.That(await response.Content.ReadAsStringAsync(), Does.Not.Contain("HTTP_"));
            }

            Assert.That(_node!.Output, Does.Not.Contain(Password).And.Not.Contain(RightToken));
        });
    }

    [Test]
    public async Task BasicAuth_RedirectOff_PlainHttpRefusedWithoutBeingCheckedHttpsStillWorks()
    {
        var (port, https) = await StartProtectedAsync("--https-redirect", "off");

        using var plain = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false });
        using var plainRight = await plain.SendAsync(Plain(HttpMethod.Get, "/cgi-bin/env", RightToken));
        using var plainWrong = await plain.SendAsync(Plain(HttpMethod.Get, "/cgi-bin/env", WrongToken));
        using var plainNone = await plain.SendAsync(Plain(HttpMethod.Get, "/cgi-bin/env", null));
        using var right = await https.SendAsync(WithAuthorization(HttpMethod.Get, $"https://{Locked}.localhost:{port}/cgi-bin/env", RightToken));

        Assert.Multiple(async () =>
        {
            foreach (var response in new[] { plainRight, plainWrong, plainNone })
            {
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
                Assert.That(response.Headers.WwwAuthenticate, Is.Empty, "no password prompt over plain HTTP");
                var body = await response.Content.ReadAsStringAsync();
                Assert.That(body, Does.Contain($"use https://{Locked}.localhost:{port}/").And.Not.Contain("HTTP_"));
            }

            Assert.That(right.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(_node!.Output, Does.Not.Contain(Password).And.Not.Contain(RightToken));
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

    [Test]
    public async Task Start_ListenUrlOfAnotherScheme_ExitsTwoSayingWhyInPlainWords()
    {
        _node = GradientNodeProcess.Prepare();

        var result = await _node.CliAsync("up", "--specs-dir", _node.SpecsDir, "--state-dir", _node.StateDir, "--run-dir", _node.RunDir,
            "--docker-host", TestEnvironment.DockerHost, "--node-name", _node.NodeName, "--listen", "ftp://127.0.0.1:18462");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr, Does.Contain("--listen wants a URL such as http://0.0.0.0:8080 or https://0.0.0.0:8443, got 'ftp://127.0.0.1:18462'").And.Not.Contain("(Parameter"));
    }

    /// <summary>A node with an https listener (and its plain one), a deployment protected by <see cref="Password"/>, a client trusting the node's CA.</summary>
    private async Task<(int Port, HttpClient Https)> StartProtectedAsync(params string[] extraArgs)
    {
        var port = FreePort();
        _node = GradientNodeProcess.Prepare();
        await _node.StartAsync(extraArgs: ["--listen", $"https://127.0.0.1:{port}", .. extraArgs]);
        var set = await _node.CliWithInputAsync(Password, "secrets", "set", "tls_endpoint_key");
        Assert.That(set.ExitCode, Is.Zero, set.ToString());
        await _node.WriteSpecAsync("locked.yaml", SpecYaml.V1(Locked, replicas: 1, top: "basicAuthKey: secret:tls_endpoint_key"));
        await _node.WaitForStatusAsync(Locked, s => s.State == DeploymentState.Ready, "Ready");
        var ca = await _node.CliAsync("tls", "ca", "--state-dir", _node.StateDir);
        Assert.That(ca.ExitCode, Is.Zero, ca.ToString());
        Assert.That(_node.Output, Does.Contain($"clients trust it: gradient-node tls ca --state-dir {Path.GetFullPath(_node.StateDir)} > gradient-node-ca.crt"), "the start says how to trust the node CA");
        using var authority = X509Certificate2.CreateFromPem(ca.Stdout);
        var https = Client(port, authority, followRedirects: false);
        _clients.Add(https);
        var last = HttpStatusCode.NotFound;
        await TestTimeouts.WaitUntilAsync(
            async () =>
            {
                using var response = await https.GetAsync($"https://{Locked}.localhost:{port}/");
                return (last = response.StatusCode) == HttpStatusCode.Unauthorized;
            },
            TestTimeouts.Container,
            $"{Locked} routed over https (last {(int)last})");
        return (port, https);
    }

    private static HttpRequestMessage WithAuthorization(HttpMethod method, string url, string? token)
    {
        var request = new HttpRequestMessage(method, url);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", token);
        }

        return request;
    }

    /// <summary>A request to the node's plain-HTTP listener for the protected deployment.</summary>
    private HttpRequestMessage Plain(HttpMethod method, string path, string? token)
    {
        var request = _node!.ProxyRequest(Locked, path, method);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", token);
        }

        return request;
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
