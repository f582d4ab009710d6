using GradientNode.Core.Health;
using GradientNode.Core.Reconciliation;
using GradientNode.Core.Specs;
using GradientNode.Core.Status;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

/// <summary>Why a running replica is not ready: its port refuses connections (no readiness probe), or it is leaving.</summary>
internal sealed partial class StatusBuilderTests
{
    [Test]
    public void Build_PortRefusesConnections_ProgressingNamesTheReplicaAndWhy()
    {
        var deaf = Live(1, Hash, ready: false) with { NotReadyReason = PortCheckFailure.Refused(8080) };

        var status = StatusBuilder.Build(Input(Entry(Spec), new DesiredReplicas(2, Hash), [Live(0, Hash), deaf]));

        Assert.Multiple(() =>
        {
            Assert.That(status.State, Is.EqualTo(DeploymentState.Progressing));
            Assert.That(status.Message, Is.EqualTo(
                "1/2 replicas ready; replica 1 not ready: port 8080 refuses connections (waiting for a server in the container to listen on it, on 0.0.0.0)"));
        });
    }

    [Test]
    public void Build_PortSilentWithOnlyALivenessProbe_TheTcpCheckStillSpeaks()
    {
        var live = Live(1, Hash, ready: false) with
        {
            NotReadyReason = PortCheckFailure.Silent("10.213.1.2", 8080, TimeSpan.FromSeconds(1)),
            Health = new HealthSnapshot(ReplicaHealth.Ready, HasReadinessProbe: false, null, null, null, null),
        };

        var status = StatusBuilder.Build(Input(Entry(Spec), new DesiredReplicas(2, Hash), [Live(0, Hash), live]));

        Assert.That(status.Message, Does.EndWith("; replica 1 not ready: port 8080 at 10.213.1.2 did not answer within 1s, not even with a refusal (a server too busy to accept, or this host does not reach the container: check `ip route get 10.213.1.2`)"));
    }

    [Test]
    public void Build_NotReadyWithAReadinessProbe_TheProbeSpeaksNotThePortCheck()
    {
        var probed = Live(1, Hash, ready: false) with
        {
            NotReadyReason = PortCheckFailure.Refused(8080),
            Health = new HealthSnapshot(ReplicaHealth.NotReady, HasReadinessProbe: true, null, null, null, null),
        };

        var status = StatusBuilder.Build(Input(Entry(Spec), new DesiredReplicas(2, Hash), [Live(0, Hash), probed]));

        Assert.That(status.Message, Is.EqualTo("1/2 replicas ready"));
    }

    [Test]
    public void Build_PausedReplicaWithAReadinessProbe_DeploymentAndReplicaSayPaused()
    {
        // Before: the replica's line said "the first port does not accept TCP connections yet", and with a readiness
        // probe the deployment's message said nothing of it.
        var paused = Live(1, Hash, ready: false) with
        {
            Paused = true,
            NotReadyReason = ReplicaObserver.Paused,
            Health = new HealthSnapshot(ReplicaHealth.Ready, HasReadinessProbe: true, null, null, null, null),
        };

        var status = StatusBuilder.Build(Input(Entry(Spec), new DesiredReplicas(2, Hash), [Live(0, Hash), paused]));

        Assert.Multiple(() =>
        {
            Assert.That(status.Message, Is.EqualTo($"1/2 replicas ready; replica 1 not ready: {ReplicaObserver.Paused}"));
            Assert.That(StatusBuilder.Lifecycle(paused), Is.EqualTo(("notReady", ReplicaObserver.Paused)));
        });
    }

    [Test]
    public void Lifecycle_LeavingReplica_StoppingAndDrainingNotProbing()
    {
        var leaving = Live(1, OldHash, ready: false) with { Leaving = true };

        Assert.That(StatusBuilder.Lifecycle(leaving), Is.EqualTo(("stopping", StatusBuilder.Draining)));
    }

    [Test]
    public void Build_OldReplicaOnItsOwnPort_AddressUsesItsPortNotTheNewSpecs()
    {
        // A rollout from port 8080 (the old replica's label) to 9090: the old replica's route stays on 8080.
        var old = Live(0, OldHash) with { IpAddress = "172.18.0.5", Port = 8080 };
        var unlabelled = Live(1, Hash) with { IpAddress = "172.18.0.6" };
        var spec = SpecParser.Parse(File, "name: hello\nimage: nginx:1.27\nresources:\n  machineType: C4\n  ports: [9090]\n").Spec!;

        var status = StatusBuilder.Build(Input(Entry(spec), new DesiredReplicas(2, Hash), [old, unlabelled]));

        Assert.Multiple(() =>
        {
            Assert.That(status.Replicas[0].Address, Is.EqualTo("172.18.0.5:8080"));
            Assert.That(status.Replicas[1].Address, Is.EqualTo("172.18.0.6:9090"), "a container without the label: the spec's first port");
        });
    }
}
