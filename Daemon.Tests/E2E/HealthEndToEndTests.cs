using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using GradientNode.Core.Engine;
using GradientNode.Core.Routing;
using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>Probes, crash supervision and rollouts against real containers, through the published daemon and its proxy.</summary>
[TestFixture]
[Category("E2E")]
[Parallelizable(ParallelScope.Self)]
internal sealed partial class HealthEndToEndTests
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
    public async Task Readiness_ReplicaFails_GetsNoRequestsThroughTheProxyAndComesBack()
    {
        var node = await StartUpAsync();
        await node.WriteSpecAsync("web.yaml", SpecYaml.V1("ready", replicas: 2, extra: Probes("readiness", "/cgi-bin/health", period: 1, threshold: 1)));
        var status = await node.WaitForStatusAsync("ready", s => s.State == DeploymentState.Ready, "Ready");
        await node.WaitForRouteAsync("ready");
        var sick = status.Replicas.Single(i => i.Index == 0);
        var before = new RouteTableStore(node.RunDir).Read().Table.Version;

        await DirectAsync(sick, "/cgi-bin/toggle?unhealthy");
        await node.WaitForStatusAsync("ready", s => s.Replicas.Any(i => i.Index == 0 && !i.Ready), "replica 0 out of rotation");
        // The route file trails the status; the proxy says when it applied a newer table with one ready replica.
        await TestTimeouts.WaitUntilAsync(
            () => Task.FromResult(RoutesApplied().Matches(node.Output).Any(m => long.Parse(m.Groups["version"].Value, CultureInfo.InvariantCulture) > before && m.Groups["ready"].Value == "1")),
            TestTimeouts.Container,
            "the proxy to apply a route table without replica 0");
        var answered = await WhoAnswersAsync(node, "ready", 30);
        Assert.That(answered, Does.Not.Contain(sick.ContainerId[..12]), "an unready replica got a request through the proxy");
        var unready = (await node.StatusAsync("ready"))!.Replicas.Single(i => i.Index == 0);
        Assert.That(unready.Health!.Readiness!.LastResult, Is.EqualTo("httpStatus"));
        Assert.That(unready.Restarts, Is.Zero, "readiness failure must not restart");

        await DirectAsync(sick, "/cgi-bin/toggle?healthy");
        await node.WaitForStatusAsync("ready", s => s.State == DeploymentState.Ready && s.Replicas.All(i => i.Ready), "replica 0 back in rotation");
        await TestTimeouts.WaitUntilAsync(
            async () => (await WhoAnswersAsync(node, "ready", 10)).Contains(sick.ContainerId[..12]),
            TestTimeouts.Container,
            "replica 0 to get requests again");
    }

    [Test]
    public async Task Liveness_Fails_ReplicaIsReplacedByAFreshContainer()
    {
        var node = await StartUpAsync();
        await node.WriteSpecAsync("web.yaml", SpecYaml.V1("live", replicas: 1, extra: Probes("liveness", "/cgi-bin/health?live", period: 1, threshold: 2)));
        var status = await node.WaitForStatusAsync("live", s => s.State == DeploymentState.Ready, "Ready");
        var first = status.Replicas.Single();

        await DirectAsync(first, "/cgi-bin/toggle?dead");
        var after = await node.WaitForStatusAsync(
            "live",
            s => s.State == DeploymentState.Ready && s.Replicas.Count == 1 && s.Replicas[0].ContainerId != first.ContainerId,
            "a fresh container after the liveness failure",
            TestTimeouts.Rollout);

        var instance = after.Replicas[0];
        Assert.That(instance.Restarts, Is.EqualTo(1));
        Assert.That(instance.History.Select(h => h.Message ?? string.Empty), Has.Some.Contains("liveness probe failed 2 times"));
        // A fresh container: the flag file of the old one is gone.
        Assert.That(await DirectAsync(instance, "/cgi-bin/health?live"), Is.EqualTo(200));
    }

    [Test]
    public async Task Crash_ImageExitsAtOnce_BacksOffAndReportsExitCodeAndLastLines()
    {
        var node = await StartUpAsync();
        await node.WriteSpecAsync("web.yaml", SpecYaml.V1("crash", replicas: 1, top: "command: [\"/bin/sh\", \"-c\", \"echo boom-$$; exit 7\"]"));

        // The first restart is immediate; the second waits out a backoff (10 s + jitter), which the status announces
        // with "restarting in Ns" while it holds: no tight loop. No clock in the test: it waits on what the status says.
        var backingOff = await node.WaitForStatusAsync(
            "crash",
            s => s.State == DeploymentState.Degraded && s.Message is { } m && BackoffPattern().IsMatch(m)
                && s.Replicas.Any(i => i.Restarts >= 1 && i.LastExitCode == 7 && i.LastLogLines.Count > 0),
            "Degraded, backing off, with exit code 7 and last lines",
            TestTimeouts.Rollout);
        Assert.That(backingOff.Message, Does.Contain("exited with code 7"));
        Assert.That(backingOff.Replicas[0].LastLogLines, Has.Some.StartsWith("boom-"));

        // The countdown is counted when the status is read, not when it was built (about every 15 s while nothing
        // changes): a read a second or more after the build shows less than was left then (newuser5's F12).
        var counted = await node.WaitForStatusAsync(
            "crash",
            s => s.RestartAt is { } at && BackoffPattern().IsMatch(s.Message) && BackoffSeconds(s.Message) < Math.Ceiling((at - s.ObservedAt).TotalSeconds),
            "a countdown read after its status was built, showing the time left when read",
            TestTimeouts.Rollout);
        Assert.That(counted.Message, Does.Contain("exited with code 7"));

        var restarted = await node.WaitForStatusAsync(
            "crash",
            s => s.Replicas.Any(i => i.Restarts >= 2 && i.LastExitCode == 7 && i.LastLogLines.Count > 0),
            "a second restart after the backoff, with exit code 7 and last lines",
            TestTimeouts.Rollout);
        Assert.That(restarted.Replicas[0].LastLogLines, Has.Some.StartsWith("boom-"));
        Assert.That(restarted.Replicas[0].History.Select(h => h.State), Has.Some.EqualTo("failed"));
    }

    [Test]
    public async Task Startup_ProbeNotPassed_DelaysLiveness()
    {
        var node = await StartUpAsync();
        var extra = Probes("startup", "/cgi-bin/started", period: 1, threshold: 30)
            + "\n  liveness:\n    path: /cgi-bin/status?500\n    periodSeconds: 1\n    failureThreshold: 1";
        await node.WriteSpecAsync("web.yaml", SpecYaml.V1("startup", replicas: 1, extra: "env:\n  - name: STARTUP_SECONDS\n    value: \"4\"\n" + extra));

        var restarted = await node.WaitForStatusAsync("startup", s => s.Replicas.Any(i => i.Restarts >= 1), "a restart by the liveness probe", TestTimeouts.Rollout);

        var history = restarted.Replicas.SelectMany(i => i.History).ToList();
        var started = history.First(h => h.State == "starting");
        var stopping = history.First(h => h.State == "stopping");
        Assert.That(stopping.Message, Does.Contain("liveness probe failed"), string.Join("\n", history));
        Assert.That(stopping.Timestamp - started.Timestamp, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(3)), string.Join("\n", history));
    }

    [Test]
    public async Task Readiness_WrongPort_ReportedAsConnectionRefused()
    {
        var node = await StartUpAsync();
        await node.WriteSpecAsync("web.yaml", SpecYaml.V1("wrong", replicas: 1, extra: Probes("readiness", "/", period: 1, threshold: 1) + "\n    port: 9999"));

        var status = await node.WaitForStatusAsync("wrong", s => s.Replicas.Any(i => i.Health?.Readiness?.LastResult == "connectionRefused"), "connection refused in status");

        Assert.That(status.Replicas[0].Ready, Is.False);
        Assert.That(status.Replicas[0].StateMessage, Does.Contain("nothing listens"));
        Assert.That(status.State, Is.EqualTo(DeploymentState.Degraded));

        // A client held past the proxy's wait (5 s here) is told why, in words that name nothing of the node's.
        using var http = new HttpClient { Timeout = TestTimeouts.Request };
        using var response = await http.SendAsync(node.ProxyRequest("wrong", "/"));
        Assert.That(response.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.ServiceUnavailable));
        Assert.That(
            await response.Content.ReadAsStringAsync(),
            Is.EqualTo("deployment 'wrong' has no ready replica: 1 replica is running but has not passed its readiness check yet\n"));
    }

    [Test]
    public async Task SpecPort_NotTheOneTheImageListensOn_StatusNamesThePortTheImageExposes()
    {
        var node = await StartUpAsync();
        await node.WriteSpecAsync("web.yaml", SpecYaml.V1("elsewhere", replicas: 1).Replace("ports: [8080]", "ports: [9090]", StringComparison.Ordinal));

        var status = await node.WaitForStatusAsync("elsewhere", s => s.Message.Contains("refuses", StringComparison.Ordinal), "the refused check in status");

        Assert.That(status.Message, Does.Contain("replica 0 not ready: port 9090 refuses connections").And.Contain("the container also exposes 8080"));
    }

    [Test]
    public async Task Rollout_ImageChangeUnderLoad_NoRequestFails()
    {
        var node = await StartUpAsync();
        await node.WriteSpecAsync("web.yaml", SpecYaml.V1("roll", replicas: 2));
        await node.WaitForStatusAsync("roll", s => s.State == DeploymentState.Ready, "Ready");
        await node.WaitForRouteAsync("roll");

        using var stop = new CancellationTokenSource();
        var loops = Enumerable.Range(0, 4).Select(_ => RequestLoopAsync(node, "roll", stop.Token)).ToList();
        await TestTimeouts.HoldAsync("the request loops run before the change", TimeSpan.FromSeconds(1));
        var rollout = Stopwatch.StartNew();
        await node.WriteSpecAsync("web.yaml", SpecYaml.V1("roll", replicas: 2, image: "gradient-test/web:2"));
        var done = await node.WaitForStatusAsync(
            "roll",
            s => s.State == DeploymentState.Ready && s.Image == "gradient-test/web:2" && s.Replicas.Count == 2 && s.Replicas.All(i => i.Current),
            "the rollout to web:2",
            TestTimeouts.Rollout);
        var rolloutTime = rollout.Elapsed;
        await TestTimeouts.HoldAsync("the request loops run on after the rollout, through the old replicas' removal", TimeSpan.FromSeconds(1));
        await stop.CancelAsync();
        var results = await Task.WhenAll(loops);
        TestContext.Progress.WriteLine($"rollout: {rolloutTime.TotalSeconds:0.0} s, {results.Sum(r => r.Ok)} ok, {results.Sum(r => r.Failed)} failed");

        Assert.That(results.Sum(r => r.Failed), Is.Zero, string.Join("; ", results.SelectMany(r => r.Errors).Distinct().Take(5)));
        Assert.That(results.Sum(r => r.Ok), Is.GreaterThan(50));
        var containers = await node.ContainersAsync(_engine, "roll");
        Assert.That(containers.Select(c => c.Image), Is.All.EqualTo("gradient-test/web:2"), string.Join(", ", done.Replicas.Select(i => i.Container)));
    }

    [Test]
    public async Task Rollout_LongRequestInFlight_FinishesBeforeTheOldReplicaStops()
    {
        var node = await StartUpAsync();
        await node.WriteSpecAsync("web.yaml", SpecYaml.V1("drain", replicas: 1));
        await node.WaitForStatusAsync("drain", s => s.State == DeploymentState.Ready, "Ready");
        await node.WaitForRouteAsync("drain");

        // A 10 s request (think: an LLM generation) on the old replica; the test image exits at once on SIGTERM,
        // so the request only succeeds if the old replica is stopped after it finished, not after a fixed drain.
        using var http = new HttpClient { Timeout = TestTimeouts.Request };
        var slow = http.SendAsync(node.ProxyRequest("drain", "/cgi-bin/slow?10"));
        await TestTimeouts.HoldAsync("the slow request reaches the old replica before the rollout", TimeSpan.FromSeconds(1));
        await node.WriteSpecAsync("web.yaml", SpecYaml.V1("drain", replicas: 1, image: "gradient-test/web:2"));

        using var response = await slow;
        Assert.That((int)response.StatusCode, Is.EqualTo(200));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("slept"));
        await node.WaitForStatusAsync(
            "drain",
            s => s.State == DeploymentState.Ready && s.Image == "gradient-test/web:2" && s.Replicas.Count == 1 && s.Replicas[0].Current,
            "the rollout to web:2",
            TestTimeouts.Rollout);
    }

    private static string Probes(string kind, string path, int period, int threshold) =>
        $"healthChecks:\n  {kind}:\n    path: {path}\n    periodSeconds: {period}\n    failureThreshold: {threshold}";

    private static async Task<int> DirectAsync(ReplicaStatus instance, string path)
    {
        using var http = new HttpClient { Timeout = TestTimeouts.Request };
        using var response = await http.GetAsync(new Uri($"http://{instance.Address}{path}"));
        return (int)response.StatusCode;
    }

    /// <summary>The container hostnames (id prefixes) that answered <paramref name="count"/> requests through the proxy.</summary>
    private static async Task<HashSet<string>> WhoAnswersAsync(GradientNodeProcess node, string slug, int count)
    {
        using var http = new HttpClient { Timeout = TestTimeouts.Request };
        var hosts = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            using var response = await http.SendAsync(node.ProxyRequest(slug, "/cgi-bin/whoami"));
            var body = await response.Content.ReadAsStringAsync();
            var line = body.Split('\n').FirstOrDefault(l => l.StartsWith("host=", StringComparison.Ordinal));
            if (line is not null)
            {
                hosts.Add(line["host=".Length..].Trim());
            }
        }

        return hosts;
    }

    private async Task<GradientNodeProcess> StartUpAsync()
    {
        var node = await GradientNodeProcess.StartAsync();
        _processes.Add(node);
        return node;
    }

    private static async Task<(int Ok, int Failed, List<string> Errors)> RequestLoopAsync(GradientNodeProcess node, string slug, CancellationToken stop)
    {
        using var http = new HttpClient { Timeout = TestTimeouts.Request };
        var (ok, failed, errors) = (0, 0, new List<string>());
        for (var i = 0; i < 100_000 && !stop.IsCancellationRequested; i++)
        {
            try
            {
                using var response = await http.SendAsync(node.ProxyRequest(slug, "/"), CancellationToken.None);
                if (response.IsSuccessStatusCode)
                {
                    ok++;
                }
                else
                {
                    failed++;
                    errors.Add($"HTTP {(int)response.StatusCode}");
                }
            }
            catch (HttpRequestException ex)
            {
                failed++;
                errors.Add(ex.Message);
            }
        }

        return (ok, failed, errors);
    }

    [GeneratedRegex(@"Routes version (?<version>[0-9]+) applied: [0-9]+ deployments, (?<ready>[0-9]+) ready replicas")]
    private static partial Regex RoutesApplied();

    [GeneratedRegex(@"restarting in [1-9][0-9]*s")]
    private static partial Regex BackoffPattern();
}
