// Over 300 lines: one fixture for the proxy host (listeners, TLS, inline scheduling, routes, shutdown), sharing its route files, ports and upstream.
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using GradientNode.Core.Routing;
using GradientNode.Core.Traffic;
using GradientNode.Proxy.Metrics;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Proxy.Hosting;

[TestFixture]
[Category("Proxy")]
[NonParallelizable]
internal sealed class ProxyServerTests
{
    private const string Secret = "my_password";
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

    private async Task<ProxyHarness> ProxyAsync(TimeSpan? readyWait = null, params DeploymentRoute[] initial)
    {
        var proxy = await ProxyHarness.StartAsync(readyWait, initial);
        _disposables.Insert(0, proxy);
        return proxy;
    }

    [Test]
    public async Task Request_KnownHostWithPort_ReachesReplica()
    {
        var backend = await BackendAsync("a");
        var proxy = await ProxyAsync(null, ProxyHarness.Route("hello", backend));

        using var response = await proxy.Client.GetAsync(proxy.Url("hello"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("backend a"));
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task Create_InlineScheduling_KestrelTransportFollowsItAndServes(bool inline)
    {
        var backend = await BackendAsync("a");
        var proxy = await ProxyHarness.StartAsync(o => o with { InlineScheduling = inline }, ProxyHarness.Route("hello", backend));
        _disposables.Insert(0, proxy);

        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            using var response = await proxy.Client.GetAsync(proxy.Url("hello"));
            return await response.Content.ReadAsStringAsync();
        }));

        Assert.That(proxy.Server.Transport.UnsafePreferInlineScheduling, Is.EqualTo(inline));
        Assert.That(answers, Is.All.EqualTo("backend a"));
    }

    [Test]
    public async Task Request_UnknownHost_Returns404WithReason()
    {
        var proxy = await ProxyAsync();

        using var response = await proxy.Client.GetAsync(proxy.Url("nope"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("no deployment 'nope' on this node\n"));
    }

    // proxy19: a deployment scaled to 0 (enabled: true) answered "is disabled" too: the route carries why it is off.
    [TestCase(null, "deployment 'Off App' is disabled\n")]
    [TestCase(OffReason.ScaledToZero, "deployment 'Off App' is scaled to 0 (resources.replicas: 0)\n")]
    public async Task Request_DisabledDeployment_Returns503WithTheRoutesReason(string? off, string expected)
    {
        var backend = await BackendAsync("a");
        var proxy = await ProxyAsync(null, new DeploymentRoute("off", "Off App", false, [new ReplicaRoute("a", backend.Address, true)], Off: off));

        using var response = await proxy.Client.GetAsync(proxy.Url("off"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo(expected));
        Assert.That(response.Headers.RetryAfter, Is.Null, "off on purpose: nothing to retry after");
    }

    [Test]
    public async Task Request_TwoReplicas_SpreadsOverBoth()
    {
        var a = await BackendAsync("a");
        var b = await BackendAsync("b");
        var proxy = await ProxyAsync(null, ProxyHarness.Route("hello", a, b));

        var seen = new HashSet<string>();
        for (var i = 0; i < 40 && seen.Count < 2; i++)
        {
            seen.Add(await proxy.Client.GetStringAsync(proxy.Url("hello")));
        }

        Assert.That(seen, Is.EquivalentTo(new[] { "backend a", "backend b" }));
    }

    [Test]
    public async Task Request_NoReadyReplica_Returns503WithRetryAfterAfterWait()
    {
        // The wait is proved by the proxy's own gauge (the request counted as held while it was open), not by a clock.
        var proxy = await ProxyAsync(TimeSpan.FromSeconds(3), new DeploymentRoute("hello", "hello", true, [new ReplicaRoute("a", "127.0.0.1:1", false)]));

        var request = proxy.Client.GetAsync(proxy.Url("hello"));
        await proxy.StatsWhenAsync("hello", d => d.Held == 1, "the request held while no replica is ready");
        using var response = await request;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(response.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(5)));
        await proxy.StatsWhenAsync("hello", d => d.Held == 0, "no request held once the wait ended");
    }

    [Test]
    public async Task Request_NoReadyReplica_SucceedsWhenOneBecomesReadyDuringWait()
    {
        var backend = await BackendAsync("a");
        var proxy = await ProxyAsync(TimeSpan.FromSeconds(20), new DeploymentRoute("hello", "hello", true, [new ReplicaRoute("a", backend.Address, false)]));

        var pending = proxy.Client.GetAsync(proxy.Url("hello"));
        await TestTimeouts.WaitUntilAsync(() => proxy.Stats("hello")?.Local.InFlight == 1, "the request to be held");
        Assert.That(pending.IsCompleted, Is.False);
        proxy.Write(ProxyHarness.Route("hello", backend));

        using var response = await pending;
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("backend a"));
    }

    [Test]
    public async Task Request_BasicAuth_RequiresTokenAndHidesItFromApp()
    {
        var backend = await BackendAsync("a");
        var proxy = await ProxyAsync(null, ProxyHarness.Route("secure", backend) with
        {
            Name = "my secure app",
            ExpectedAuthorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("paperspace:" + Secret)),
        });

        using (var anonymous = await proxy.Client.GetAsync(proxy.Url("secure", "/headers")))
        {
            Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(anonymous.Headers.WwwAuthenticate.ToString(), Is.EqualTo("Basic realm=\"my secure app\""));
        }

        using (var wrong = await SendAsync(proxy, "secure", "/headers", new AuthenticationHeaderValue("Basic", "cGFwZXJzcGFjZTp3cm9uZw==")))
        {
            Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        }

        using var right = await SendAsync(proxy, "secure", "/headers", new AuthenticationHeaderValue("Basic", GoodToken));
        Assert.That(right.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var headers = await right.Content.ReadAsStringAsync();
        Assert.That(headers, Does.Not.Contain("Authorization").IgnoreCase);
        Assert.That(headers, Does.Not.Contain(GoodToken));
    }

    [Test]
    public async Task Request_PublicDeployment_ForwardsAuthorizationAndXForwardedHeaders()
    {
        var backend = await BackendAsync("a");
        var proxy = await ProxyAsync(null, ProxyHarness.Route("hello", backend));

        using var response = await SendAsync(proxy, "hello", "/headers", new AuthenticationHeaderValue("Bearer", "app-token"));
        var headers = await response.Content.ReadAsStringAsync();

        Assert.That(headers, Does.Contain("X-Forwarded-For: 127.0.0.1"));
        Assert.That(headers, Does.Contain("X-Forwarded-Proto: http"));
        Assert.That(headers, Does.Contain($"X-Forwarded-Host: hello.{ProxyHarness.Domain}:{proxy.Port}"));
        Assert.That(headers, Does.Contain("Authorization: Bearer app-token"));
    }

    [Test]
    public async Task Response_Streamed_FirstChunkArrivesBeforeDestinationFinishes()
    {
        var backend = await BackendAsync("a");
        var proxy = await ProxyAsync(null, ProxyHarness.Route("llm", backend));

        using var response = await proxy.Client.GetAsync(proxy.Url("llm", "/stream"), HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var first = await reader.ReadLineAsync().WaitAsync(TestTimeouts.Request);

        Assert.That(first, Is.EqualTo("data: first"));
        Assert.That(backend.StreamRelease.Task.IsCompleted, Is.False);
        backend.StreamRelease.SetResult();
        Assert.That(await reader.ReadToEndAsync(), Does.Contain("data: second"));
    }

    [Test]
    public async Task Request_LargeUpload_IsStreamedThrough()
    {
        var backend = await BackendAsync("a");
        var proxy = await ProxyAsync(null, ProxyHarness.Route("hello", backend));
        var payload = new byte[40 * 1024 * 1024];
        Random.Shared.NextBytes(payload);

        using var response = await proxy.Client.PostAsync(proxy.Url("hello", "/digest"), new ByteArrayContent(payload));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo($"{payload.Length} {Convert.ToHexString(SHA256.HashData(payload))}"));
    }

    [Test]
    public async Task WebSocket_Echo_WorksThroughProxy()
    {
        var backend = await BackendAsync("a");
        var proxy = await ProxyAsync(null, ProxyHarness.Route("chat", backend));
        using var socket = new ClientWebSocket();
        using var invoker = new HttpMessageInvoker(proxy.Handler, disposeHandler: false);
        var url = new UriBuilder(proxy.Url("chat", "/ws")) { Scheme = "ws" }.Uri;

        await socket.ConnectAsync(url, invoker, CancellationToken.None).WaitAsync(TestTimeouts.Request);
        await socket.SendAsync(Encoding.UTF8.GetBytes("hi"), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        var buffer = new byte[1024];
        var result = await socket.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(TestTimeouts.Request);

        Assert.That(Encoding.UTF8.GetString(buffer, 0, result.Count), Is.EqualTo("a:hi"));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
    }

    [Test]
    public async Task Request_DeadAndLiveReplica_AllSucceedByRetry()
    {
        var live = await BackendAsync("live");
        var dead = new DeploymentRoute("hello", "hello", true,
            [new ReplicaRoute("dead", $"127.0.0.1:{ClosedPort()}", true), new ReplicaRoute("live", live.Address, true)]);
        var proxy = await ProxyAsync(null, dead);

        for (var i = 0; i < 20; i++)
        {
            using var get = await proxy.Client.GetAsync(proxy.Url("hello"));
            Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"GET #{i}");
            using var post = await proxy.Client.PostAsync(proxy.Url("hello", "/echo"), new StringContent("body " + i));
            Assert.That(await post.Content.ReadAsStringAsync(), Is.EqualTo("body " + i), $"POST #{i}");
        }

        var (stats, _) = await proxy.StatsWhenAsync("hello", d => d.Forwarded.Requests >= 40, "40 forwarded requests counted");
        Assert.That(stats.Forwarded.Status2xx, Is.EqualTo(40));
        Assert.That(stats.Replicas.Single(r => r.Id == "live").Traffic.Status2xx, Is.EqualTo(40));
    }

    [Test]
    public async Task Routes_FileUpdated_NewDeploymentServed()
    {
        var backend = await BackendAsync("a");
        var proxy = await ProxyAsync();
        using (var before = await proxy.Client.GetAsync(proxy.Url("late")))
        {
            Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        }

        await proxy.PublishAsync(ProxyHarness.Route("late", backend));

        Assert.That(await proxy.Client.GetStringAsync(proxy.Url("late")), Is.EqualTo("backend a"));
    }

    [Test]
    public async Task Routes_CorruptOrMissingFile_KeepsServingLastRoutes()
    {
        var backend = await BackendAsync("a");
        var proxy = await ProxyAsync(null, ProxyHarness.Route("hello", backend));
        var path = Path.Combine(proxy.RunDir, RouteTable.FileName);

        File.WriteAllText(path, "{ broken");
        await TestTimeouts.HoldAsync("several polls of the route file (100 ms) that must not drop the routes", TimeSpan.FromMilliseconds(500));
        Assert.That(await proxy.Client.GetStringAsync(proxy.Url("hello")), Is.EqualTo("backend a"));

        File.Delete(path);
        await TestTimeouts.HoldAsync("several polls of the route file (100 ms) that must not drop the routes", TimeSpan.FromMilliseconds(500));
        Assert.That(await proxy.Client.GetStringAsync(proxy.Url("hello")), Is.EqualTo("backend a"));
    }

    [Test]
    public async Task Request_HugeHeader_Returns431()
    {
        var proxy = await ProxyAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, proxy.Url("hello"));
        request.Headers.Add("X-Big", new string('x', 40 * 1024));

        using var response = await proxy.Client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestHeaderFieldsTooLarge));
    }

    [Test]
    [SupportedOSPlatform("linux")]
    public async Task Stats_AfterRequests_CountedAndWrittenToRunDir()
    {
        var backend = await BackendAsync("a");
        var proxy = await ProxyAsync(null, ProxyHarness.Route("hello", backend));
        for (var i = 0; i < 3; i++)
        {
            (await proxy.Client.GetAsync(proxy.Url("hello"))).Dispose();
        }

        (await proxy.Client.GetAsync(proxy.Url("hello", "/missing"))).Dispose();

        await TestTimeouts.WaitUntilAsync(
            () => TrafficFile.TryRead(proxy.RunDir, out _)?.Deployments.SingleOrDefault()?.Forwarded.Requests == 4,
            "proxy-stats.json with 4 requests");
        var stats = TrafficFile.TryRead(proxy.RunDir, out _)!.Deployments.Single();
        Assert.That(stats.Forwarded.Status2xx, Is.EqualTo(3));
        Assert.That(stats.Forwarded.Status4xx, Is.EqualTo(1));
        Assert.That(stats.Forwarded.AverageDurationSeconds1m, Is.GreaterThan(0));
        Assert.That(stats.Replicas.Single().Id, Is.EqualTo("a"));
        Assert.That(File.GetUnixFileMode(TrafficFile.PathIn(proxy.RunDir)), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        var text = PrometheusTextRenderer.Render(TrafficFile.TryRead(proxy.RunDir, out _)!);
        Assert.That(text, Does.Contain("gradient_proxy_requests_total{deployment=\"hello\",replica=\"a\",code_class=\"2xx\"} 3"));
    }

    private static Task<HttpResponseMessage> SendAsync(ProxyHarness proxy, string slug, string path, AuthenticationHeaderValue authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, proxy.Url(slug, path));
        request.Headers.Authorization = authorization;
        return proxy.Client.SendAsync(request);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
