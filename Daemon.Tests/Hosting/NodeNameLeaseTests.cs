using GradientNode.Daemon.Hosting;
using GradientNode.Daemon.Security;
using NUnit.Framework;

namespace GradientNode.Tests.Hosting;

[TestFixture]
[Category("Unit")]
internal sealed class NodeNameLeaseTests
{
    private const string Engine = "unix:///var/run/docker.sock";

    // Each test its own abstract names: tests of other fixtures (and real nodes on this host) never collide with them.
    private string _prefix = "";

    [SetUp]
    public void SetUp() => _prefix = $"gradient-node-test/{Guid.NewGuid():N}/";

    [Test]
    public void Acquire_SameNameAndEngineHeld_RefusedNamingTheHoldersPidAndTheOption()
    {
        using var first = NodeNameLease.Acquire("default", Engine, Libc.GetEffectiveUserId(), _prefix);

        var refused = Assert.Throws<StartupException>(() => NodeNameLease.Acquire("default", Engine, Libc.GetEffectiveUserId(), _prefix));

        Assert.Multiple(() =>
        {
            Assert.That(first.Warning, Is.Null);
            Assert.That(refused!.Message, Is.EqualTo(
                $"another gradient-node (pid {Environment.ProcessId}) already runs node 'default' on the engine {Engine}: two nodes with one "
                + "name remove each other's replicas as orphans; stop that one first, or give this one its own --node-name (node.yaml nodeName)"));
        });
    }

    [Test]
    public void Acquire_OtherNameOrOtherEngine_BothHeld()
    {
        using var first = NodeNameLease.Acquire("default", Engine, Libc.GetEffectiveUserId(), _prefix);
        using var otherName = NodeNameLease.Acquire("gpu1", Engine, Libc.GetEffectiveUserId(), _prefix);
        using var otherEngine = NodeNameLease.Acquire("default", "unix:///tmp/other/docker.sock", Libc.GetEffectiveUserId(), _prefix);

        Assert.Multiple(() =>
        {
            Assert.That(otherName.Warning, Is.Null);
            Assert.That(otherEngine.Warning, Is.Null);
        });
    }

    [Test]
    public void Acquire_HolderStopped_TakenAgain()
    {
        NodeNameLease.Acquire("default", Engine, Libc.GetEffectiveUserId(), _prefix).Dispose();

        using var again = NodeNameLease.Acquire("default", Engine, Libc.GetEffectiveUserId(), _prefix);

        Assert.That(again.Warning, Is.Null);
    }

    [Test]
    public void Acquire_HeldByAnotherUser_StartsWithAWarningSoThatNobodyCanKeepTheNodeDown()
    {
        // The holder runs as this test's user; the node asking is told it runs as another one (a local user took the name first).
        using var squatter = NodeNameLease.Acquire("default", Engine, Libc.GetEffectiveUserId(), _prefix);
        var asking = Libc.GetEffectiveUserId() + 1000;

        using var lease = NodeNameLease.Acquire("default", Engine, asking, _prefix);

        Assert.That(lease.Warning, Is.EqualTo(
            $"the node name 'default' on {Engine} is held by a process of uid {Libc.GetEffectiveUserId()}, not this node's user: another node "
            + "with this name would not be refused"));
    }

    [Test]
    public void Acquire_AskedManyTimesWhileHeld_EveryAskAnswered()
    {
        // The holder closes each connection it is asked on, so that its queue never fills and an asking node never waits.
        using var first = NodeNameLease.Acquire("default", Engine, Libc.GetEffectiveUserId(), _prefix);

        for (var i = 0; i < 50; i++)
        {
            Assert.Throws<StartupException>(() => NodeNameLease.Acquire("default", Engine, Libc.GetEffectiveUserId(), _prefix));
        }
    }
}
