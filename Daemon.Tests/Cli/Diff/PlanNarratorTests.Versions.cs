using GradientNode.Core.Reconciliation;
using GradientNode.Core.Status;
using GradientNode.Daemon.Cli.Diff;
using NUnit.Framework;

namespace GradientNode.Tests.Cli.Diff;

/// <summary>Which version a change makes: credentials of an integration, a return to a version whose replicas still run.</summary>
internal sealed partial class PlanNarratorTests
{
    [Test]
    public void Sentences_IntegrationAccessKeyIdChanged_RollsOutTheReplicas()
    {
        // Before: "integrations changed: no replica starts", and the running replicas kept the old key's content.
        const string s3 = "integrations:\n  - type: s3\n    name: weights\n    url: s3://models/llama\n    accessKeyId: {0}\n    secretAccessKey: secret:s3key\n";
        var running = Spec(replicas: 2, extra: string.Format(System.Globalization.CultureInfo.InvariantCulture, s3, "AKIA1"));

        var sentences = PlanNarrator.Sentences(Input(running, Spec(replicas: 2, extra: string.Format(System.Globalization.CultureInfo.InvariantCulture, s3, "AKIA2")), free: 0));

        Assert.That(sentences, Is.EqualTo(new[] { "integrations changed: roll out 2 replicas one at a time" }));
    }

    [Test]
    public void Sentences_BackToTheVersionWhoseReplicasStillServe_SaysTheyServeAgainAndNothingRollsOut()
    {
        // a:1 served on 2 replicas; a:2 was applied and its replica 0 never got ready, so both a:1 replicas still serve.
        // Applying a:1 again (a rollback) starts nothing: the daemon keeps them and removes a:2's replica.
        var good = Spec(image: "a:1", replicas: 2);
        var stuck = Spec(image: "a:2", replicas: 2);
        var input = Input(good, good, free: 0);
        var replicas = input.Status!.Replicas.Append(new ReplicaStatus
        {
            Id = "hello-0", Index = 0, Container = "gradient-hello-0-def456", ContainerId = "c9", State = "running", Ready = false,
            SpecHash = SpecHasher.Compute(stuck),
        }).ToList();
        input = input with { Running = stuck, Status = input.Status with { SpecHash = SpecHasher.Compute(stuck), Replicas = replicas } };

        var sentences = PlanNarrator.Sentences(input);

        // Before: "image a:2 → a:1: roll out 2 replicas one at a time".
        Assert.That(sentences, Is.EqualTo(new[] { "image a:2 → a:1: replicas 0, 1 of that version still run: they serve on, nothing starts; the other version's replica 0 stops" }));
    }
}
