using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>The autoscaler against real containers: load through the real proxy, CPU burnt in a real replica.</summary>
[TestFixture]
[Category("E2E")]
[NonParallelizable] // a replica must burn a core for the CPU metric: another fixture beside it takes its share
internal sealed class AutoscalingEndToEndTests
{
    private readonly List<GradientNodeProcess> _processes = [];

    [SetUp]
    public async Task SetUp() => (await TestEnvironment.RequireEngineAsync()).Dispose();

    [TearDown]
    public async Task TearDown()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        _processes.Clear();
    }

    [Test]
    public async Task RequestDuration_SlowRequestsAboveTarget_ScalesUpThenBackToMinimumAfterWindow()
    {
        var node = await StartUpAsync("--scale-down-stabilization", "10s");
        await node.WriteSpecAsync("slow.yaml", Spec("slow", max: 3, metric: "requestDuration", value: "0.2"));
        await node.WaitForStatusAsync("slow", s => s.State == DeploymentState.Ready && s.Autoscaling?.EvaluatedAt is not null, "Ready and evaluated");
        await node.WaitForRouteAsync("slow");

        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, 4).Select(_ => LoadAsync(node, "slow", "/cgi-bin/slow?0.6", stop.Token)).ToList();
        DeploymentStatus scaled;
        try
        {
            scaled = await node.WaitForStatusAsync(
                "slow",
                s => s.DesiredReplicas >= 2 && s.ReadyReplicas >= 2,
                "a second ready replica under slow requests",
                TestTimeouts.Rollout);
        }
        finally
        {
            await stop.CancelAsync();
        }

        var failed = (await Task.WhenAll(load)).Sum();
        var autoscaling = scaled.Autoscaling!;
        Assert.That(scaled.DesiredReplicas, Is.InRange(2, 3));
        Assert.That(autoscaling.LastScale!.From, Is.EqualTo(1));
        Assert.That(autoscaling.LastScale.Reason, Does.Contain("requestDuration").And.Contain("above target 0.2 s"));
        Assert.That(autoscaling.Metrics.Single().Value, Is.GreaterThan(0.2));
        Assert.That(failed, Is.Zero, "requests failed while scaling up");
        var metrics = await node.ApiGetAsync("metrics");
        Assert.That(metrics, Does.Contain("gradient_autoscale_desired_replicas{deployment=\"slow\"}"), metrics);

        // No load: after the short window empties and the 10 s stabilization window passes, back to replicas: 1.
        var down = await node.WaitForStatusAsync(
            "slow",
            s => s.DesiredReplicas == 1 && s.Replicas.Count == 1 && s.State == DeploymentState.Ready,
            "back to 1 replica after the load stopped",
            TestTimeouts.Rollout);
        Assert.That(down.Autoscaling!.LastScale!.To, Is.EqualTo(1));
        Assert.That(down.Autoscaling.LastScale.Reason, Does.Contain("highest recommendation of the last 10 s is 1"));
        var get = await node.CliAsync("get", "slow");
        Assert.That(get.Stdout, Does.Contain("Autoscale: 1..3 replicas, wants 1, recommends"), get.Stdout);
    }

    [Test]
    public async Task Cpu_BurningReplica_ScalesOnCpu()
    {
        var node = await StartUpAsync();
        await node.WriteSpecAsync("burn.yaml", Spec("burn", max: 2, metric: "cpu", value: "20"));
        var ready = await node.WaitForStatusAsync("burn", s => s.State == DeploymentState.Ready, "Ready");
        var replica = ready.Replicas.Single();

        // One busy core of a C4 replica's 2 CPUs (or the node's share, on a smaller box) is well above 20 %.
        using (var http = new HttpClient { Timeout = TestTimeouts.Request })
        {
            using var response = await http.GetAsync(new Uri($"http://{replica.Address}/cgi-bin/burn?90"));
            response.EnsureSuccessStatusCode();
        }

        var scaled = await node.WaitForStatusAsync("burn", s => s.DesiredReplicas == 2 && s.ReadyReplicas == 2, "a second replica for the CPU load", TestTimeouts.Rollout);

        var autoscaling = scaled.Autoscaling!;
        Assert.That(autoscaling.LastScale!.Reason, Does.StartWith("cpu"));
        Assert.That(autoscaling.Metrics.Single().Metric, Is.EqualTo("cpu"));
        Assert.That(autoscaling.MaxReplicas, Is.EqualTo(2));
    }

    private static string Spec(string name, int max, string metric, string value) => $"""
        apiVersion: v1
        name: {name}
        image: {TestEnvironment.WebImage}
        resources:
          machineType: C4
          ports: [8080]
          replicas: 1
          autoscaling:
            enabled: true
            maxReplicas: {max}
            metrics:
              - metric: {metric}
                summary: average
                value: {value}
        """;

    /// <summary>Requests in a loop until stopped; returns how many failed.</summary>
    private static async Task<int> LoadAsync(GradientNodeProcess node, string slug, string path, CancellationToken stop)
    {
        using var http = new HttpClient { Timeout = TestTimeouts.Request };
        var failed = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var response = await http.SendAsync(node.ProxyRequest(slug, path), CancellationToken.None);
                failed += response.IsSuccessStatusCode ? 0 : 1;
            }
            catch (HttpRequestException)
            {
                failed++;
            }
        }

        return failed;
    }

    private async Task<GradientNodeProcess> StartUpAsync(params string[] args)
    {
        var node = GradientNodeProcess.Prepare();
        _processes.Add(node);
        await node.StartAsync(args);
        return node;
    }
}
