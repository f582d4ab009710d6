using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// During a rollout the old version's replicas are judged as what they are: with the probes and on the port they were
/// started with, not the new version's, so they keep serving until each successor is ready.
/// </summary>
internal sealed partial class HealthEndToEndTests
{
    [Test]
    public async Task Rollout_NewReadinessProbeNeverPasses_OldReplicasKeepTheirProbeAndServeEveryRequest()
    {
        var node = await StartUpAsync();
        await node.WriteSpecAsync("web.yaml", SpecYaml.V1("probed", replicas: 2, extra: Probes("readiness", "/cgi-bin/health", period: 1, threshold: 1)));
        await node.WaitForStatusAsync("probed", s => s.State == DeploymentState.Ready, "Ready");
        await node.WaitForRouteAsync("probed");

        using var stop = new CancellationTokenSource();
        var loops = Enumerable.Range(0, 2).Select(_ => RequestLoopAsync(node, "probed", stop.Token)).ToList();
        await TestTimeouts.HoldAsync("the request loops run before the change", TimeSpan.FromSeconds(1));

        // Before the fix the old replicas were probed with the new path too: both fell out of rotation and were replaced
        // at once (an index whose old replica is not ready is not waited for), and nothing served.
        await node.WriteSpecAsync("web.yaml", SpecYaml.V1("probed", replicas: 2, image: "gradient-test/web:2", extra: Probes("readiness", "/nope", period: 1, threshold: 1)));
        await node.WaitForStatusAsync(
            "probed",
            s => s.Replicas.Any(i => i.Current && i.Health?.Readiness?.LastResult == "httpStatus"),
            "a new replica failing its /nope readiness probe");
        await TestTimeouts.HoldAsync("several probe periods (1 s) in which the old replicas are probed and must stay ready", TimeSpan.FromSeconds(4));
        var during = (await node.StatusAsync("probed"))!;
        await stop.CancelAsync();
        var results = await Task.WhenAll(loops);

        var old = during.Replicas.Where(i => !i.Current).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(old, Has.Count.EqualTo(2), "both old replicas still run: only one new replica surges at a time");
            Assert.That(old.All(i => i.Ready), Is.True, string.Join("; ", old.Select(i => $"{i.Id}: {i.StateMessage}")));
            Assert.That(during.Replicas.Count(i => i.Current), Is.EqualTo(1), "one new replica at a time");
            Assert.That(results.Sum(r => r.Failed), Is.Zero, string.Join("; ", results.SelectMany(r => r.Errors).Distinct().Take(5)));
            Assert.That(results.Sum(r => r.Ok), Is.GreaterThan(20));
        });
    }

    [Test]
    public async Task Rollout_PortChanges_OldReplicasStayReadyOnTheirPortUntilTheirSuccessorIsReady()
    {
        var node = await StartUpAsync();
        await node.WriteSpecAsync("web.yaml", SpecYaml.V1("moving", replicas: 2));
        await node.WaitForStatusAsync("moving", s => s.State == DeploymentState.Ready, "Ready");
        await node.WaitForRouteAsync("moving");

        using var stop = new CancellationTokenSource();
        var loops = Enumerable.Range(0, 2).Select(_ => RequestLoopAsync(node, "moving", stop.Token)).ToList();
        await TestTimeouts.HoldAsync("the request loops run before the change", TimeSpan.FromSeconds(1));

        // The new version listens on 9090, 8 s after it starts. Before the fix the old replicas were checked on 9090 too:
        // not ready, both replaced at once, and the endpoint held every request until a new replica was up.
        await node.WriteSpecAsync("web.yaml", $"""
            apiVersion: v1
            name: moving
            image: gradient-test/web:2
            command: ["/bin/sh", "-c", "sleep 8; exec /bin/serve"]
            env:
              - name: PORT
                value: "9090"
            resources:
              machineType: C4
              ports: [9090]
              replicas: 2
            """);
        var during = await node.WaitForStatusAsync("moving", s => s.Image == "gradient-test/web:2" && s.Replicas.Any(i => i.Current && i.State == "running"), "the first new replica running");
        await TestTimeouts.HoldAsync("the old replicas are checked meanwhile and must stay ready on their port", TimeSpan.FromSeconds(2));
        during = (await node.StatusAsync("moving"))!;
        var done = await node.WaitForStatusAsync(
            "moving",
            s => s.State == DeploymentState.Ready && s.Image == "gradient-test/web:2" && s.Replicas.Count == 2 && s.Replicas.All(i => i.Current),
            "the rollout to port 9090",
            TestTimeouts.Rollout);
        await stop.CancelAsync();
        var results = await Task.WhenAll(loops);

        var old = during.Replicas.Where(i => !i.Current).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(old, Has.Count.EqualTo(2), "both old replicas serve while the first new one starts");
            Assert.That(old.All(i => i.Ready && i.Address!.EndsWith(":8080", StringComparison.Ordinal)), Is.True, string.Join("; ", old.Select(i => $"{i.Id} {i.Address}: {i.StateMessage}")));
            Assert.That(done.Replicas.Select(i => i.Address), Has.All.EndsWith(":9090"));
            Assert.That(results.Sum(r => r.Failed), Is.Zero, string.Join("; ", results.SelectMany(r => r.Errors).Distinct().Take(5)));
        });
    }
}
