using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>A rollout whose new version brings a readiness probe that never passes: the old version keeps serving.</summary>
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
        await Task.Delay(TimeSpan.FromSeconds(1));

        // Before the fix the old replicas were probed with the new path too: both fell out of rotation and were replaced
        // at once (an index whose old replica is not ready is not waited for), and nothing served.
        await node.WriteSpecAsync("web.yaml", SpecYaml.V1("probed", replicas: 2, image: "gradient-test/web:2", extra: Probes("readiness", "/nope", period: 1, threshold: 1)));
        await node.WaitForStatusAsync(
            "probed",
            s => s.Replicas.Any(i => i.Current && i.Health?.Readiness?.LastResult == "httpStatus"),
            "a new replica failing its /nope readiness probe");
        await Task.Delay(TimeSpan.FromSeconds(4)); // several probe periods: the old replicas are probed meanwhile
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
}
