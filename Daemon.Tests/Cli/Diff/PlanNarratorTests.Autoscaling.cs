using GradientNode.Core.Specs;
using GradientNode.Daemon.Cli.Diff;
using NUnit.Framework;

namespace GradientNode.Tests.Cli.Diff;

/// <summary>An autoscaled deployment whose bounds move: the node holds the count inside them at once, as the plan must say.</summary>
internal sealed partial class PlanNarratorTests
{
    [Test]
    public void Sentences_AutoscaledReplicasRaisedAboveTheCountThatRuns_StartsTheNewIndex()
    {
        // newuser14: "replicas 2 → 3: no replica changes", while the node started replica 2 at once (the least it runs is 3).
        var sentences = PlanNarrator.Sentences(Input(Autoscaled(replicas: 2, max: 4), Autoscaled(replicas: 3, max: 4), free: 0));

        Assert.That(sentences, Is.EqualTo(new[] { "replicas 2 → 3: start replica 2" }));
    }

    [Test]
    public void Sentences_AutoscaledMaxReplicasLoweredBelowTheCountThatRuns_StopsTheHighIndex()
    {
        var input = Input(Autoscaled(replicas: 3, max: 4), Autoscaled(replicas: 1, max: 2), free: 0);

        var sentences = PlanNarrator.Sentences(input);

        Assert.That(sentences, Is.EqualTo(new[] { "replicas 3 → 1: stop replica 2", "autoscaling changed: the autoscaler takes the new settings; no replica restarts" }));
    }

    [Test]
    public void Sentences_AutoscaledOnlyMaxReplicasLoweredBelowTheCountThatRuns_SaysWhichReplicaStops()
    {
        // The status's count (3) is the autoscaler's; with maxReplicas 2 the reconciler holds it at 2 at once.
        var input = Input(Autoscaled(replicas: 3, max: 4), Autoscaled(replicas: 1, max: 4), free: 0);
        input = input with { Running = Autoscaled(replicas: 1, max: 4), Next = Autoscaled(replicas: 1, max: 2) };

        var sentences = PlanNarrator.Sentences(input);

        Assert.That(sentences, Is.EqualTo(new[] { "autoscaling changed: the autoscaler takes the new settings: stop replica 2" }));
    }

    [Test]
    public void Sentences_AutoscaledCountInsideTheNewBounds_NoReplicaChanges()
    {
        var sentences = PlanNarrator.Sentences(Input(Autoscaled(replicas: 2, max: 4), Autoscaled(replicas: 1, max: 4), free: 0));

        Assert.That(sentences, Is.EqualTo(new[] { "replicas 2 → 1: no replica changes" }));
    }

    private static DeploymentSpec Autoscaled(int replicas, int max)
    {
        var result = SpecParser.Parse("spec.yaml", "apiVersion: v1\nname: hello\nimage: a:1\nresources:\n  machineType: C4\n  ports: [8080]\n"
            + $"  replicas: {replicas}\n  autoscaling:\n    maxReplicas: {max}\n    metrics: [{{metric: cpu, value: 50}}]\n");
        Assert.That(result.Errors, Is.Empty);
        return result.Spec!;
    }
}
