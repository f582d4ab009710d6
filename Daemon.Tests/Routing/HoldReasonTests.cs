using GradientNode.Core.Routing;
using GradientNode.Core.Status;
using NUnit.Framework;

namespace GradientNode.Tests.Routing;

[TestFixture]
[Category("Unit")]
internal sealed class HoldReasonTests
{
    [Test]
    public void Of_AReplicaReady_Null()
    {
        Assert.That(HoldReason.Of(Status(Replica("running", ready: true), Replica("running", ready: false))), Is.Null);
    }

    [Test]
    public void Of_Blocked_PointsAtTheStatusWithoutSayingWhatBlocksIt()
    {
        var reason = HoldReason.Of(Status(Replica("exited")) with
        {
            State = DeploymentState.Failed,
            Blocked = "secret 'registry-pw' is missing (registry registry.internal:5000)",
        });

        Assert.That(reason, Is.EqualTo("its replicas cannot start now; the node's status says why (gradient-node get web)"));
        Assert.That(reason, Does.Not.Contain("registry"), "the status's words can name secrets and hosts: a network client gets none of them");
    }

    [Test]
    public void Of_Pulling_SaysThePull()
    {
        var reason = HoldReason.Of(Status() with { Pull = new PullStatus { Image = "registry.internal:5000/model:2" } });

        Assert.That(reason, Is.EqualTo("its image is being pulled"));
    }

    [Test]
    public void Of_VolumeFetching_SaysTheFetch()
    {
        var volume = new VolumeStatus { Field = "models[m]", Kind = "model", MountPath = "/opt/m", ReadOnly = true, State = "fetching" };

        Assert.That(HoldReason.Of(Status() with { Volumes = [volume] }), Is.EqualTo("its volumes (models, datasets, integrations) are being fetched"));
    }

    [TestCase(1, "1 replica is running but has not passed its readiness check yet")]
    [TestCase(3, "3 replicas are running but none has passed its readiness check yet")]
    public void Of_RunningNotReady_CountsTheCurrentOnes(int running, string expected)
    {
        var replicas = Enumerable.Range(0, running).Select(_ => Replica("running")).Append(Replica("running", current: false));

        Assert.That(HoldReason.Of(Status([.. replicas])), Is.EqualTo(expected));
    }

    [Test]
    public void Of_CurrentReplicasExited_SaysTheyAreRestarted()
    {
        Assert.That(HoldReason.Of(Status(Replica("exited"))), Is.EqualTo("its replicas exited and are being restarted"));
    }

    [Test]
    public void Of_NothingYet_SaysStarting()
    {
        Assert.That(HoldReason.Of(Status(Replica("created"))), Is.EqualTo("its replicas are starting"));
    }

    private static DeploymentStatus Status(params ReplicaStatus[] replicas) => new()
    {
        Name = "web",
        Slug = "web",
        State = DeploymentState.Progressing,
        Replicas = replicas,
    };

    private static ReplicaStatus Replica(string state, bool ready = false, bool current = true) => new()
    {
        Id = "web-0",
        Index = 0,
        Container = "gradient-web-0-abc",
        ContainerId = "c0",
        State = state,
        Ready = ready,
        SpecHash = current ? "new" : "old",
        Current = current,
    };
}
