using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using GradientNode.Core.Routing;
using GradientNode.Proxy.Hosting;
using GradientNode.Proxy.Tls;
using GradientNode.Tests.Infrastructure;
using GradientNode.Tests.Proxy.Hosting;
using NUnit.Framework;

namespace GradientNode.Tests.Proxy.Tls;

[TestFixture]
[Category("Proxy")]
[NonParallelizable]
internal sealed partial class HttpsProxyTests
{
    private const string GoodToken = "cGFwZXJzcGFjZTpteV9wYXNzd29yZA==";

    private readonly List<IAsyncDisposable> _disposables = [];

    [TearDown]
    public async Task TearDown()
    {
        for (var i = _disposables.Count - 1; i >= 0; i--)
        {
            await _disposables[i].DisposeAsync();
        }

        _disposables.Clear();
    }

    private async Task<TestBackend> BackendAsync(string name)
    {
        var backend = await TestBackend.StartAsync(name);
        _disposables.Add(backend);
        return backend;
    }

    private async Task<HttpsFixture> ProxyAsync(Func<ProxyTlsOptions, ProxyTlsOptions>? tls, params DeploymentRoute[] routes)
    {
        var fixture = await HttpsFixture.StartAsync(tls, routes);
        _disposables.Insert(0, fixture);
        return fixture;
    }

    private static DeploymentRoute Protected(TestBackend backend) =>
        ProxyHarness.Route("secure", backend) with { ExpectedAuthorization = "Basic " + GoodToken };

    [Test]
    public async Task Https_WildcardCertificate_NegotiatesHttp2AndSendsForwardedProtoHttps()
    {
        var backend = await BackendAsync("a");
        var proxy = await ProxyAsync(null, ProxyHarness.Route("hello", backend));
        X509Certificate2? served = null;

        using var response = await proxy.Client(proxy.HttpsPort, c => served = c, version: HttpVersion.Version20).GetAsync(proxy.Https("hello", "/headers"));

        var headers = await response.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Version, Is.EqualTo(HttpVersion.Version20));
            Assert.That(served?.Subject, Is.EqualTo("CN=*.test.local"));
            Assert.That(headers, Does.Contain("X-Forwarded-Proto: https"));
            Assert.That(response.Headers.Contains("Strict-Transport-Security"), Is.False, "HSTS is off by default");
        });
    }

    [Test]
    public async Task Https_PerHostCertificateInFolder_WinsOverWildcardBySni()
    {
        var backend = await BackendAsync("a");
        var perHost = Directory.CreateTempSubdirectory("gn-tls-dir-").FullName;
        using var other = new TestCertificates("Other CA");
        other.Write(perHost, "api.test.local", "api.test.local");
        try
        {
            var proxy = await ProxyAsync(t => t with { CertificateDirectory = perHost }, ProxyHarness.Route("api", backend), ProxyHarness.Route("hello", backend));
            X509Certificate2? apiCert = null;
            X509Certificate2? helloCert = null;

            using var api = await proxy.Client(proxy.HttpsPort, c => apiCert = c, trust: other.Authority).GetAsync(proxy.Https("api"));
            using var hello = await proxy.Client(proxy.HttpsPort, c => helloCert = c).GetAsync(proxy.Https("hello"));

            Assert.Multiple(() =>
            {
                Assert.That(api.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                Assert.That(apiCert?.Subject, Is.EqualTo("CN=api.test.local"));
                Assert.That(hello.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                Assert.That(helloCert?.Subject, Is.EqualTo("CN=*.test.local"));
            });
        }
        finally
        {
            Directory.Delete(perHost, recursive: true);
        }
    }

    [Test]
    public async Task CertificateFileReplaced_NewConnectionsGetIt_OpenConnectionAndRequestsDuringSwapDoNotFail()
    {
        var backend = await BackendAsync("a");
        var proxy = await ProxyAsync(null, ProxyHarness.Route("hello", backend));
        var certificates = proxy.Server.Certificates!;
        var before = certificates.Current.Fallback!.Certificate.Thumbprint;

        // An open connection in the middle of a streamed response.
        var open = proxy.Client(proxy.HttpsPort);
        using var streaming = await open.GetAsync(proxy.Https("hello", "/stream"), HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await streaming.Content.ReadAsStreamAsync());
        Assert.That(await reader.ReadLineAsync(), Is.EqualTo("data: first"));

        // New connections keep coming while the files are replaced (key first, then certificate: a mismatch in between).
        using var stop = new CancellationTokenSource();
        var failures = 0;
        var requests = 0;
        var load = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var response = await proxy.Client(proxy.HttpsPort).GetAsync(proxy.Https("hello"));
                    Interlocked.Increment(ref requests);
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        });
        await TestTimeouts.WaitUntilAsync(() => Volatile.Read(ref requests) > 3, "requests before the swap");
        var (cert, key) = proxy.Ca.Issue("*.test.local", "test.local");
        File.WriteAllText(proxy.KeyFile, key);
        File.WriteAllText(proxy.CertFile, cert);
        await TestTimeouts.WaitUntilAsync(() => certificates.Current.Fallback!.Certificate.Thumbprint != before, "the watcher swaps the certificate");
        var after = Volatile.Read(ref requests);
        await TestTimeouts.WaitUntilAsync(() => Volatile.Read(ref requests) > after + 3, "requests after the swap");
        stop.Cancel();
        await load;

        X509Certificate2? served = null;
        using var fresh = await proxy.Client(proxy.HttpsPort, c => served = c).GetAsync(proxy.Https("hello"));
        backend.StreamRelease.SetResult();
        var rest = await reader.ReadToEndAsync();

        Assert.Multiple(() =>
        {
            Assert.That(failures, Is.Zero, $"{failures} of {requests} requests failed during the swap");
            Assert.That(served!.Thumbprint, Is.EqualTo(certificates.Current.Fallback!.Certificate.Thumbprint).And.Not.EqualTo(before));
            Assert.That(rest, Does.Contain("data: second"), "the open connection kept streaming");
        });
    }

    [Test]
    public async Task Reload_MismatchedKeyPair_PreviousCertificateKeepsServing()
    {
        var backend = await BackendAsync("a");
        var proxy = await ProxyAsync(t => t with { WatchDebounce = TimeSpan.FromHours(1) }, ProxyHarness.Route("hello", backend));
        var before = proxy.Server.Certificates!.Current.Fallback!.Certificate.Thumbprint;
        File.WriteAllText(proxy.CertFile, proxy.Ca.Issue("*.test.local").Cert);

        proxy.Server.ReloadCertificates();

        X509Certificate2? served = null;
        using var response = await proxy.Client(proxy.HttpsPort, c => served = c).GetAsync(proxy.Https("hello"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(served!.Thumbprint, Is.EqualTo(before));
    }

    [Test]
    public async Task PlainHttp_HttpsListenerPresent_Redirects308ToSameUrlOnHttps()
    {
        var backend = await BackendAsync("a");
        var proxy = await ProxyAsync(null, ProxyHarness.Route("hello", backend));

        using var response = await proxy.Client(proxy.HttpPort).PostAsync(proxy.Http("hello", "/echo?x=1"), new StringContent("body"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.PermanentRedirect));
        Assert.That(response.Headers.Location, Is.EqualTo(proxy.Https("hello", "/echo?x=1")));
    }

    [Test]
    public async Task PlainHttp_RedirectOff_ProtectedDeploymentRefusedWithoutCheckingPassword()
    {
        var backend = await BackendAsync("a");
        var proxy = await ProxyAsync(t => t with { RedirectHttp = false }, Protected(backend), ProxyHarness.Route("hello", backend));
        var http = proxy.Client(proxy.HttpPort);

        using var withPassword = new HttpRequestMessage(HttpMethod.Get, proxy.Http("secure", "/headers"));
        withPassword.Headers.Authorization = new AuthenticationHeaderValue("Basic", GoodToken);
        using var refused = await http.SendAsync(withPassword);
        using var open = await http.GetAsync(proxy.Http("hello"));
        using var overHttps = new HttpRequestMessage(HttpMethod.Get, proxy.Https("secure", "/headers"));
        overHttps.Headers.Authorization = new AuthenticationHeaderValue("Basic", GoodToken);
        using var accepted = await proxy.Client(proxy.HttpsPort).SendAsync(overHttps);

        Assert.Multiple(async () =>
        {
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(refused.Headers.WwwAuthenticate, Is.Empty, "no password prompt over plain HTTP");
            Assert.That(await refused.Content.ReadAsStringAsync(), Does.Contain($"use https://secure.test.local:{proxy.HttpsPort}/"));
            Assert.That(open.StatusCode, Is.EqualTo(HttpStatusCode.OK), "public deployments still answer over plain HTTP");
            Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await accepted.Content.ReadAsStringAsync(), Does.Not.Contain(GoodToken));
        });
    }

    [Test]
    public async Task Hsts_Configured_SentOverHttpsOnly()
    {
        var backend = await BackendAsync("a");
        var proxy = await ProxyAsync(t => t with { HstsMaxAge = TimeSpan.FromDays(180), RedirectHttp = false }, ProxyHarness.Route("hello", backend));

        using var secure = await proxy.Client(proxy.HttpsPort).GetAsync(proxy.Https("hello"));
        using var plain = await proxy.Client(proxy.HttpPort).GetAsync(proxy.Http("hello"));

        Assert.That(secure.Headers.GetValues("Strict-Transport-Security"), Is.EqualTo(new[] { "max-age=15552000" }));
        Assert.That(plain.Headers.Contains("Strict-Transport-Security"), Is.False);
    }

    [Test]
    public async Task WebSocket_OverTls_EchoesThroughProxy()
    {
        var backend = await BackendAsync("a");
        var proxy = await ProxyAsync(null, ProxyHarness.Route("hello", backend));
        using var socket = new ClientWebSocket();
        var uri = new UriBuilder(proxy.Https("hello", "/ws")) { Scheme = "wss" }.Uri;

        using var invoker = new HttpMessageInvoker(proxy.Handler(proxy.HttpsPort), disposeHandler: false);
        await socket.ConnectAsync(uri, invoker, CancellationToken.None);
        await socket.SendAsync(Encoding.UTF8.GetBytes("hi"), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[64];
        var result = await socket.ReceiveAsync(buffer, CancellationToken.None);

        Assert.That(Encoding.UTF8.GetString(buffer, 0, result.Count), Is.EqualTo("a:hi"));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
    }

    [Test]
    public async Task Https_NodeCaWhenNoCertificateGiven_ServesWildcardTrustedByPrintedCa()
    {
        var backend = await BackendAsync("a");
        var state = Directory.CreateTempSubdirectory("gn-tls-state-").FullName;
        try
        {
            var proxy = await ProxyAsync(t => t with { CertificateFile = null, KeyFile = null, AuthorityDirectory = NodeCertificateAuthority.DirectoryUnder(state) }, ProxyHarness.Route("hello", backend));
            using var ca = X509Certificate2.CreateFromPem(NodeCertificateAuthority.ReadCertificatePem(state)!);

            using var response = await proxy.Client(proxy.HttpsPort, trust: ca).GetAsync(proxy.Https("hello"));

            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("backend a"));
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    [Test]
    public void Create_MismatchedKeyFile_FailsNamingTheFile()
    {
        using var ca = new TestCertificates();
        var dir = Directory.CreateTempSubdirectory("gn-tls-bad-").FullName;
        try
        {
            var (cert, _) = ca.Write(dir, "a", "*.test.local");
            var (_, key) = ca.Write(dir, "b", "*.test.local");

            Assert.That(
                () => ProxyServer.Create(new GradientNode.Proxy.ProxyOptions
                {
                    ListenUrls = ["https://127.0.0.1:0"],
                    RunDir = dir,
                    Tls = new ProxyTlsOptions { CertificateFile = cert, KeyFile = key },
                }),
                Throws.TypeOf<CertificateLoadException>().With.Message.StartWith(key + ": the private key does not match"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
