using System.Net;
using GradientNode.Core.Engine;
using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>The proxy role in front of real containers: forwarded headers, metrics, and a daemon restart under load.</summary>
[TestFixture]
[Category("E2E")]
[Parallelizable(ParallelScope.Self)]
internal sealed class ProxyEndToEndTests
{
    private DockerEngine _engine = null!;
    private readonly List<GradientNodeProcess> _processes = [];

    [SetUp]
    public async Task SetUp() => _engine = await TestEnvironment.RequireEngineAsync();

    [TearDown]
    public async Task TearDown()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        _processes.Clear();
        _engine?.Dispose();
        _engine = null!;
    }

    [Test]
    public async Task Proxy_ForwardedRequest_AppSeesXForwardedForAndHost()
    {
        var node = await StartUpAsync();
        await node.WriteSpecAsync("web.yaml", SpecYaml.V1("fwd", replicas: 1));
        await node.WaitForStatusAsync("fwd", s => s.State == DeploymentState.Ready, "Ready");
        await node.WaitForRouteAsync("fwd");

        using var http = new HttpClient();
        using var response = await http.SendAsync(node.ProxyRequest("fwd", "/cgi-bin/env"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body, Does.Contain("HTTP_X_FORWARDED_FOR=127.0.0.1").And.Contain($"HTTP_X_FORWARDED_HOST=fwd.localhost:{node.Port}").And.Contain("HTTP_X_FORWARDED_PROTO=http"));
    }

    [Test]
    public async Task Metrics_AfterRequests_AppearInGetAndPrometheus()
    {
        var node = await StartUpAsync();
        await node.WriteSpecAsync("web.yaml", SpecYaml.V1("counted", replicas: 2));
        await node.WaitForStatusAsync("counted", s => s.State == DeploymentState.Ready, "Ready");
        await node.WaitForRouteAsync("counted");
        using var http = new HttpClient();
        for (var i = 0; i < 20; i++)
        {
            using var response = await http.SendAsync(node.ProxyRequest("counted", "/"));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        using var missing = await http.SendAsync(node.ProxyRequest("counted", "/no-such-page"));

        var status = await node.WaitForStatusAsync("counted", s => s.Traffic is { Requests: >= 21, Status4xx: >= 1 }, "traffic figures from the proxy");
        Assert.That(status.Traffic!.Status2xx, Is.GreaterThanOrEqualTo(20));
        Assert.That(status.Traffic.P50DurationSeconds1m, Is.GreaterThan(0), "p50 of the last minute from the proxy's histogram");
        Assert.That(status.Traffic.P99DurationSeconds1m, Is.GreaterThanOrEqualTo(status.Traffic.P50DurationSeconds1m!.Value));
        Assert.That(status.Traffic.AverageDurationSeconds1m, Is.GreaterThan(0));

        using var api = node.SocketClient();
        var metrics = await api.GetStringAsync("metrics");
        Assert.That(metrics, Does.Contain("gradient_replicas_ready{deployment=\"counted\"} 2"));
        Assert.That(metrics, Does.Contain("gradient_proxy_requests_total{deployment=\"counted\""));
    }

    [Test]
    public async Task Daemon_KilledAndRestartedBehindASeparateProxy_NoRequestFails()
    {
        var daemon = GradientNodeProcess.Prepare().Sibling("daemon");
        _processes.Add(daemon);
        await daemon.StartAsync(extraArgs: []);
        var proxy = daemon.Sibling("proxy");
        _processes.Add(proxy);
        await proxy.StartAsync(extraArgs: []);
        await daemon.WriteSpecAsync("web.yaml", SpecYaml.V1("steady", replicas: 2));
        await daemon.WaitForStatusAsync("steady", s => s.State == DeploymentState.Ready, "Ready");
        await proxy.WaitForRouteAsync("steady");

        using var stop = new CancellationTokenSource();
        var loops = Enumerable.Range(0, 4).Select(_ => RequestLoopAsync(proxy, "steady", stop.Token)).ToList();
        await TestTimeouts.HoldAsync("the request loops run before the change", TimeSpan.FromSeconds(1));
        await daemon.StopAsync(crash: true);
        await TestTimeouts.HoldAsync("the proxy serves on while the daemon is down", TimeSpan.FromSeconds(2));
        await daemon.StartAsync(extraArgs: []);
        await daemon.WaitForStatusAsync("steady", s => s.State == DeploymentState.Ready, "Ready after the restart");
        await TestTimeouts.HoldAsync("the request loops run on after the restart", TimeSpan.FromSeconds(2));
        await stop.CancelAsync();
        var results = await Task.WhenAll(loops);

        var total = results.Sum(r => r.Ok + r.Failed);
        Assert.That(results.Sum(r => r.Failed), Is.Zero, string.Join("; ", results.SelectMany(r => r.Errors).Distinct().Take(5)));
        Assert.That(total, Is.GreaterThan(50), "the loop must have run through the restart");
    }

    [Test]
    public async Task ApplyWait_SeparateProxyDown_TimesOutNamingTheProxyThenRolledOutOnceItServesTheReplicas()
    {
        var daemon = GradientNodeProcess.Prepare().Sibling("daemon");
        _processes.Add(daemon);
        await daemon.StartAsync(extraArgs: []);
        var proxy = daemon.Sibling("proxy");
        _processes.Add(proxy);
        await proxy.StartAsync(extraArgs: []);
        var file = Path.Combine(daemon.Root, "waited.yaml");
        await File.WriteAllTextAsync(file, SpecYaml.V1("waited", replicas: 1));
        var first = await daemon.CliAsync("apply", "-f", file, "--wait", "--timeout", "2m");
        Assert.That(first.ExitCode, Is.Zero, first.ToString());

        // The proxy dies (its answer file stays, naming the table it served); a new version rolls out behind it.
        await proxy.StopAsync(crash: true);
        await File.WriteAllTextAsync(file, SpecYaml.V1("waited", replicas: 1, extra: "env:\n  - name: VERSION\n    value: \"2\""));
        var applied = await daemon.CliAsync("apply", "-f", file);
        Assert.That(applied.ExitCode, Is.Zero, applied.ToString());
        await daemon.WaitForStatusAsync("waited", s => s.State == DeploymentState.Ready && s.Replicas.Count == 1 && s.Replicas.All(r => r.Current && r.Ready), "the new version ready");
        var behind = await daemon.CliAsync("apply", "-f", file, "--wait", "--timeout", "5s");

        Assert.Multiple(() =>
        {
            Assert.That(behind.ExitCode, Is.EqualTo(124), behind.ToString());
            Assert.That(behind.Stdout + behind.Stderr, Does.Contain("its replicas are ready but the proxy does not serve them yet (is the proxy role running?"), behind.ToString());
        });

        // Back: it reads the table, answers, and the same apply is rolled out at once, with the new replica served.
        await proxy.StartAsync(extraArgs: []);
        var again = await daemon.CliAsync("apply", "-f", file, "--wait", "--timeout", "2m");
        Assert.That(again.ExitCode, Is.Zero, again.ToString());
        using var http = new HttpClient { Timeout = TestTimeouts.Request };
        using var response = await http.SendAsync(proxy.ProxyRequest("waited", "/"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    /// <summary>
    /// YARP's data protection (cookie affinity, unused) kept in memory: before, its hosted service wrote an XML key ring
    /// under $HOME/.aspnet at start and mapped System.Private.Xml (~4 MB of RSS). See docs/benchmarks.md, "Daemon memory".
    /// </summary>
    [Test]
    public async Task Up_ServingRequests_WritesNothingUnderHomeAndLoadsNoXml()
    {
        var home = Directory.CreateTempSubdirectory("gn-e2e-home-").FullName;
        try
        {
            var node = GradientNodeProcess.Prepare();
            node.ExtraEnvironment["HOME"] = home;
            _processes.Add(node);
            await node.StartAsync(extraArgs: []);
            await node.WriteSpecAsync("web.yaml", SpecYaml.V1("homeless", replicas: 1));
            await node.WaitForStatusAsync("homeless", s => s.State == DeploymentState.Ready, "Ready");
            await node.WaitForRouteAsync("homeless");
            using var http = new HttpClient();
            using var response = await http.SendAsync(node.ProxyRequest("homeless", "/"));
            var maps = await File.ReadAllTextAsync($"/proc/{node.Pid}/maps");

            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(Directory.EnumerateFileSystemEntries(home, "*", SearchOption.AllDirectories), Is.Empty, "files the node wrote under $HOME");
            Assert.That(maps, Does.Not.Contain("System.Private.Xml"), "the node mapped the XML assemblies");
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    private async Task<GradientNodeProcess> StartUpAsync()
    {
        var node = await GradientNodeProcess.StartAsync();
        _processes.Add(node);
        return node;
    }

    /// <summary>Sequential GETs until cancelled (bounded: at most 100 000 requests).</summary>
    private static async Task<LoopResult> RequestLoopAsync(GradientNodeProcess proxy, string slug, CancellationToken stop)
    {
        using var http = new HttpClient { Timeout = TestTimeouts.Request };
        var result = new LoopResult();
        for (var i = 0; i < 100_000 && !stop.IsCancellationRequested; i++)
        {
            try
            {
                using var response = await http.SendAsync(proxy.ProxyRequest(slug, "/"), CancellationToken.None);
                if (response.IsSuccessStatusCode)
                {
                    result.Ok++;
                }
                else
                {
                    result.Failed++;
                    result.Errors.Add($"HTTP {(int)response.StatusCode}");
                }
            }
            catch (HttpRequestException ex)
            {
                result.Failed++;
                result.Errors.Add(ex.Message);
            }
        }

        return result;
    }

    private sealed class LoopResult
    {
        public int Ok { get; set; }

        public int Failed { get; set; }

        public List<string> Errors { get; } = [];
    }
}
