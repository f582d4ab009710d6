using System.Text.RegularExpressions;
using GradientNode.Core.Engine;
using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// A change of <c>healthChecks</c> alone is rolled out like any change of the container: new replicas must pass the new
/// probes before the old ones, still probed with their own, stop. Before, the new probes were swapped onto the serving
/// replicas in place, so a readiness path that 404s took every replica out of rotation at once.
/// </summary>
internal sealed partial class HealthEndToEndTests
{
    private const string GoodProbe = "/cgi-bin/health";

    [Test]
    public async Task Reapply_ReadinessPathThat404sThenAGoodOne_OldReplicasServeUntilTheGoodOneRollsWithNoFailedRequest()
    {
        var node = GradientNodeProcess.Prepare();
        _processes.Add(node);
        await node.StartAsync(["--progress-deadline", "15s"]);
        await node.WriteSpecAsync("web.yaml", SpecYaml.V1("probes", replicas: 2, extra: Probes("readiness", GoodProbe, period: 1, threshold: 1)));
        var first = await node.WaitForStatusAsync("probes", s => s.State == DeploymentState.Ready && s.ReadyReplicas == 2, "Ready");
        await node.WaitForRouteAsync("probes");
        var serving = first.Replicas.Select(r => r.ContainerId).ToHashSet(StringComparer.Ordinal);

        using var stop = new CancellationTokenSource();
        var loops = Enumerable.Range(0, 2).Select(_ => RequestLoopAsync(node, "probes", stop.Token)).ToList();
        await TestTimeouts.HoldAsync("the request loops run before the change", TimeSpan.FromSeconds(1));

        var typo = SpecYaml.V1("probes", replicas: 2, extra: Probes("readiness", "/healthz-typo", period: 1, threshold: 1));
        var file = Path.Combine(node.Root, "typo.yaml");
        await File.WriteAllTextAsync(file, typo);
        var diff = await node.CliAsync("diff", "-f", file);
        await node.WriteSpecAsync("web.yaml", typo);
        var stalled = await node.WaitForStatusAsync(
            "probes",
            s => s.Rollout is { State: "Failed" },
            "the rollout to the 404 path to stall past its progress deadline",
            TestTimeouts.Rollout);
        var containers = await node.ContainersAsync(_engine, "probes");

        var good = SpecYaml.V1("probes", replicas: 2, extra: Probes("readiness", $"{GoodProbe}?ready", period: 1, threshold: 1));
        await node.WriteSpecAsync("web.yaml", good);
        var rolled = await node.WaitForStatusAsync(
            "probes",
            s => s.State == DeploymentState.Ready && s.Rollout is null && s.Replicas.Count == 2 && s.Replicas.All(r => r.Current && r.Ready && !serving.Contains(r.ContainerId)),
            "the rollout to the good new path",
            TestTimeouts.Rollout);
        await stop.CancelAsync();
        var results = await Task.WhenAll(loops);

        var old = stalled.Replicas.Where(r => serving.Contains(r.ContainerId)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(diff.Stdout, Does.Contain("healthChecks changed: roll out 2 replicas one at a time"), "before: the probes change; no replica restarts\n" + diff);
            Assert.That(diff.Stdout, Does.Match(new Regex($@"^-\s+path: {Regex.Escape(GoodProbe)}$", RegexOptions.Multiline)), diff.ToString());
            Assert.That(diff.Stdout, Does.Match(new Regex(@"^\+\s+path: /healthz-typo$", RegexOptions.Multiline)), diff.ToString());
            Assert.That(diff.ExitCode, Is.EqualTo(1), "a change is coming");

            Assert.That(old, Has.Count.EqualTo(2), "both old replicas still run");
            Assert.That(old.All(r => r.Ready && !r.Current && r.Drift == "created before healthChecks changed"), Is.True, string.Join("; ", old.Select(r => $"{r.Id} ready={r.Ready} drift={r.Drift}: {r.StateMessage}")));
            Assert.That(stalled.State, Is.EqualTo(DeploymentState.Degraded), stalled.Message);
            Assert.That(stalled.Rollout!.Reason, Is.EqualTo("replacing replicas created before healthChecks changed"));
            Assert.That(stalled.Rollout.Message, Does.StartWith("no new replica became ready within the progress deadline (15 s); the old version keeps serving"));
            Assert.That(stalled.Rollout.Message, Does.Contain("/healthz-typo"), "names the failing probe");
            Assert.That(stalled.Message, Does.StartWith("RolloutFailed: no new replica became ready within the progress deadline"), stalled.Message);
            Assert.That(containers.Count(c => serving.Contains(c.Id)), Is.EqualTo(2), "the old containers serve on");

            Assert.That(rolled.Replicas.Select(r => r.Health?.Readiness?.LastMessage), Has.All.Not.Contain("typo"));
            Assert.That(results.Sum(r => r.Failed), Is.Zero, string.Join("; ", results.SelectMany(r => r.Errors).Distinct().Take(5)));
            Assert.That(results.Sum(r => r.Ok), Is.GreaterThan(50));
        });

        var labels = (await node.ContainersAsync(_engine, "probes")).Select(c => c.Labels.GetValueOrDefault(ContainerLabels.ProbesHash)).Distinct().ToList();
        Assert.That(labels, Has.Count.EqualTo(1).And.None.Null, "every new replica carries the good probes' hash");
    }
}
