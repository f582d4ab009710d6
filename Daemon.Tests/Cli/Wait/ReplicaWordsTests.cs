using GradientNode.Core.Reconciliation;
using GradientNode.Daemon.Cli.Wait;
using NUnit.Framework;

namespace GradientNode.Tests.Cli.Wait;

[TestFixture]
[Category("Unit")]
internal sealed class ReplicaWordsTests
{
    [Test]
    public void Describe_AnOldReplicaBeingDrained_DrainingNotProbing()
    {
        var replica = StatusScript.Replica(1, "running", ready: false, StatusScript.OldHash, message: StatusBuilder.Draining);

        Assert.That(ReplicaWords.Describe(replica, old: true), Is.EqualTo("draining (old version)"));
    }

    [Test]
    public void Describe_ANewReplicaFailingItsProbe_ProbingWithTheProbesWords()
    {
        var replica = StatusScript.Replica(0, "running", ready: false, message: "readiness probe: 503 from GET /health on port 8080");

        Assert.That(ReplicaWords.Describe(replica, old: false), Is.EqualTo("probing: readiness probe: 503 from GET /health on port 8080"));
    }
}
