using GradientNode.Core.Reconciliation;
using GradientNode.Core.Specs;
using GradientNode.Core.Status;
using GradientNode.Daemon.Cli.Diff;
using NUnit.Framework;

namespace GradientNode.Tests.Cli.Diff;

[TestFixture]
[Category("Unit")]
internal sealed partial class PlanNarratorTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    [Test]
    public void Sentences_MoreReplicas_StartsTheNewIndex()
    {
        var running = Spec(replicas: 2);

        var sentences = PlanNarrator.Sentences(Input(running, Spec(replicas: 3), free: 0));

        Assert.That(sentences, Is.EqualTo(new[] { "replicas 2 → 3: start replica 2" }));
    }

    [Test]
    public void Sentences_FewerReplicas_StopsTheHighIndexes()
    {
        var running = Spec(replicas: 3);

        var sentences = PlanNarrator.Sentences(Input(running, Spec(replicas: 1), free: 0));

        Assert.That(sentences, Is.EqualTo(new[] { "replicas 3 → 1: stop replicas 1, 2" }));
    }

    [Test]
    public void Sentences_FewerReplicasWhileReplicaZeroIsGone_StopsOnlyTheHighestOfThoseThatRunAndStartsNone()
    {
        var input = Input(Spec(replicas: 4), Spec(replicas: 2), free: 0);
        input = input with { Status = input.Status! with { Replicas = [.. input.Status!.Replicas.Where(r => r.Index != 0)] } };

        var sentences = PlanNarrator.Sentences(input);

        Assert.That(sentences, Is.EqualTo(new[] { "replicas 4 → 2: stop replica 3" }));
    }

    [Test]
    public void Sentences_NewImage_RollsOutOneAtATime()
    {
        var running = Spec(image: "a:1", replicas: 2);

        var sentences = PlanNarrator.Sentences(Input(running, Spec(image: "a:2", replicas: 2), free: 0));

        Assert.That(sentences, Is.EqualTo(new[] { "image a:1 → a:2: roll out 2 replicas one at a time" }));
    }

    [Test]
    public void Sentences_NewImageAndMoreReplicas_RollsOutAndStartsTheNewIndex()
    {
        var running = Spec(image: "a:1", replicas: 2);

        var sentences = PlanNarrator.Sentences(Input(running, Spec(image: "a:2", replicas: 3), free: 0));

        Assert.That(sentences, Is.EqualTo(new[] { "image a:1 → a:2: roll out 2 replicas one at a time", "replicas 2 → 3: start replica 2" }));
    }

    [Test]
    public void Sentences_BasicAuthKeyAdded_EndpointBecomesProtected()
    {
        var running = Spec();

        var sentences = PlanNarrator.Sentences(Input(running, Spec(extra: "basicAuthKey: secret:hello-auth\n"), free: 0));

        Assert.That(sentences, Is.EqualTo(new[] { "basicAuthKey added: endpoint becomes protected" }));
    }

    [Test]
    public void Sentences_GpuMachineTypeWithoutFreeGpus_ReplicasWillWait()
    {
        var running = Spec(machineType: "C4");

        var sentences = PlanNarrator.Sentences(Input(running, Spec(machineType: "A100"), free: 0));

        Assert.That(sentences, Is.EqualTo(new[]
        {
            "machineType C4 → A100: roll out 1 replica",
            "machineType C4 → A100: needs 1 GPU per replica, 0 free: replicas will wait",
        }));
    }

    [Test]
    public void Sentences_SameSpec_NoChange()
    {
        var sentences = PlanNarrator.Sentences(Input(Spec(replicas: 2), Spec(replicas: 2), free: 0));

        Assert.That(sentences, Is.EqualTo(new[] { "no change" }));
    }

    [Test]
    public void Sentences_NewDeployment_StartsEveryReplica()
    {
        var sentences = PlanNarrator.Sentences(new PlanInput(null, null, Spec(replicas: 2), 0, Now));

        Assert.That(sentences, Is.EqualTo(new[] { "new deployment 'hello': start replicas 0, 1" }));
    }

    [Test]
    public void Sentences_Disabled_StopsEveryReplica()
    {
        var running = Spec(replicas: 2);

        var sentences = PlanNarrator.Sentences(Input(running, Spec(replicas: 2, extra: "enabled: false\n"), free: 0));

        Assert.That(sentences, Is.EqualTo(new[] { "enabled true → false: stop replicas 0, 1" }));
    }

    [Test]
    public void Sentences_HealthChecksChanged_RollsOutTheReplicas()
    {
        // Before: "the probes change; no replica restarts": the new probes were swapped onto the serving replicas in place.
        var running = Spec(replicas: 2, extra: "healthChecks:\n  readiness:\n    path: /ready\n");
        var probe = "healthChecks:\n  readiness:\n    path: /readyz\n";

        var sentences = PlanNarrator.Sentences(Input(running, Spec(replicas: 2, extra: probe), free: 0));

        Assert.That(sentences, Is.EqualTo(new[] { "healthChecks changed: roll out 2 replicas one at a time" }));
    }

    [Test]
    public void Sentences_HealthChecksChangedWithReplicasZero_NoReplicaRuns()
    {
        var running = Spec(replicas: 0);
        var probe = "healthChecks:\n  readiness:\n    path: /ready\n";

        var sentences = PlanNarrator.Sentences(Input(running, Spec(replicas: 0, extra: probe), free: 0));

        Assert.That(sentences, Is.EqualTo(new[] { "healthChecks changed: the probes change; no replica runs" }));
    }

    [Test]
    public void Sentences_SameSpecWhileAProbesRolloutRuns_SaysTheNodeReplacesTheOldReplicas()
    {
        var running = Spec(replicas: 2);

        var sentences = PlanNarrator.Sentences(Drifted(Input(running, Spec(replicas: 2), free: 0), HealthOverlay.ProbesChanged, 0, 1));

        Assert.That(sentences, Is.EqualTo(new[] { $"replicas 0, 1 {HealthOverlay.ProbesChanged}: the node replaces them, apply or not (roll out 2 replicas one at a time)" }));
    }

    [Test]
    public void Sentences_ImageAndHealthChecksChanged_RollOutAndTheProbesWithoutContradiction()
    {
        // Before: "roll out 2 replicas one at a time" and "the probes change; no replica restarts" in one plan (found by the
        // deployments tryout).
        var running = Spec(image: "a:1", replicas: 2);
        var probe = "healthChecks:\n  readiness:\n    path: /ready\n";

        var sentences = PlanNarrator.Sentences(Input(running, Spec(image: "a:2", replicas: 2, extra: probe), free: 0));

        Assert.That(sentences, Is.EqualTo(new[]
        {
            "image a:1 → a:2, healthChecks changed: roll out 2 replicas one at a time",
        }));
    }

    [Test]
    public void Sentences_SameSpecWithReplicasCreatedWithNetRaw_SaysTheNodeReplacesThemAndWhy()
    {
        // Before: "no change", while the node rolled both replicas (netraw's known issue).
        var running = Spec(replicas: 2);
        const string drift = "created with NET_RAW by an earlier version of the node";

        var sentences = PlanNarrator.Sentences(Drifted(Input(running, Spec(replicas: 2), free: 0), drift, 0, 1));

        Assert.That(sentences, Is.EqualTo(new[] { $"replicas 0, 1 {drift}: the node replaces them, apply or not (roll out 2 replicas one at a time)" }));
    }

    [Test]
    public void Sentences_ReplicaCreatedWithNetRawWhoseSuccessorRunsNotReady_StillNamesTheReplacement()
    {
        // The node began the replacement (the successor is not ready yet): the drifted replica goes once it is.
        var running = Spec(replicas: 1);
        const string drift = "created with NET_RAW by an earlier version of the node";
        var input = Drifted(Input(running, Spec(replicas: 1), free: 0), drift, 0);
        var successor = input.Status!.Replicas[0] with { ContainerId = "c0-new", Container = "gradient-hello-0-def456", Ready = false, Current = true, Drift = null };

        var sentences = PlanNarrator.Sentences(input with { Status = input.Status with { Replicas = [.. input.Status.Replicas, successor] } });

        Assert.That(sentences, Is.EqualTo(new[] { $"replica 0 {drift}: the node replaces it, apply or not (roll out 1 replica)" }));
    }

    [Test]
    public void Sentences_MoreReplicasAndOneCreatedWithNetRaw_StartsTheNewIndexAndReplacesTheDriftedOne()
    {
        var running = Spec(replicas: 1);
        const string drift = "created with NET_RAW by an earlier version of the node";

        var sentences = PlanNarrator.Sentences(Drifted(Input(running, Spec(replicas: 2), free: 0), drift, 0));

        Assert.That(sentences, Is.EqualTo(new[]
        {
            "replicas 1 → 2: start replica 1",
            $"replica 0 {drift}: the node replaces it, apply or not (roll out 1 replica)",
        }));
    }

    [Test]
    public void Sentences_DriftedReplicaOfAnOlderDaemonWithoutTheDriftField_NamesTheRolloutsReason()
    {
        // A daemon before the replica's drift field says only current: false and the rollout's reason.
        var running = Spec(replicas: 1);
        var input = Input(running, Spec(replicas: 1), free: 0);
        var status = input.Status! with
        {
            Replicas = [input.Status!.Replicas[0] with { Current = false }],
            Rollout = new RolloutStatus("Progressing", SpecHasher.Compute(running), [SpecHasher.Compute(running)], Now, null) { Reason = "replacing replicas created with NET_RAW by an earlier version of the node" },
        };

        var sentences = PlanNarrator.Sentences(input with { Status = status });

        Assert.That(sentences, Is.EqualTo(new[] { "replica 0 created with NET_RAW by an earlier version of the node: the node replaces it, apply or not (roll out 1 replica)" }));
    }

    [Test]
    public void Sentences_NewImageWithReplicasCreatedWithNetRaw_TheRolloutReplacesThemOnce()
    {
        var running = Spec(image: "a:1", replicas: 2);

        var sentences = PlanNarrator.Sentences(Drifted(Input(running, Spec(image: "a:2", replicas: 2), free: 0), "created with NET_RAW by an earlier version of the node", 0, 1));

        Assert.That(sentences, Is.EqualTo(new[] { "image a:1 → a:2: roll out 2 replicas one at a time" }));
    }

    /// <summary><paramref name="input"/> with the replicas at <paramref name="indexes"/> drifted as the daemon reports them.</summary>
    private static PlanInput Drifted(PlanInput input, string drift, params int[] indexes) => input with
    {
        Status = input.Status! with
        {
            Replicas = [.. input.Status!.Replicas.Select(r => indexes.Contains(r.Index) ? r with { Current = false, Drift = drift } : r)],
        },
    };

    /// <summary>The running spec's status: every replica of <paramref name="running"/> ready on its hash.</summary>
    private static PlanInput Input(DeploymentSpec running, DeploymentSpec next, int free)
    {
        var hash = SpecHasher.Compute(running);
        var replicas = Enumerable.Range(0, running.IsDisabled ? 0 : running.Resources.Replicas).Select(i => new ReplicaStatus
        {
            Id = $"hello-{i}",
            Index = i,
            Container = $"gradient-hello-{i}-abc123",
            ContainerId = $"c{i}",
            State = "running",
            Ready = true,
            SpecHash = hash,
        }).ToList();
        var status = new DeploymentStatus
        {
            Name = "hello",
            Slug = "hello",
            State = DeploymentState.Ready,
            DesiredReplicas = replicas.Count,
            ReadyReplicas = replicas.Count,
            SpecHash = hash,
            Replicas = replicas,
        };
        return new PlanInput(running, status, next, free, Now);
    }

    private static DeploymentSpec Spec(string image = "a:1", int replicas = 1, string machineType = "C4", string extra = "")
    {
        var result = SpecParser.Parse("spec.yaml", $"apiVersion: v1\nname: hello\nimage: {image}\n{extra}resources:\n  machineType: {machineType}\n  ports: [8080]\n  replicas: {replicas}\n");
        Assert.That(result.Errors, Is.Empty);
        return result.Spec!;
    }
}
