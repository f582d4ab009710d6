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
    public async Task AcquireAsync_SameNameAndEngineHeld_RefusedNamingTheHoldersPidAndTheOption()
    {
        using var first = await NodeNameLease.AcquireAsync("default", Engine, Libc.GetEffectiveUserId(), TimeProvider.System, CancellationToken.None, _prefix);

        var refused = Assert.ThrowsAsync<StartupException>(() => NodeNameLease.AcquireAsync("default", Engine, Libc.GetEffectiveUserId(), TimeProvider.System, CancellationToken.None, _prefix));

        Assert.Multiple(() =>
        {
            Assert.That(first.Warning, Is.Null);
            Assert.That(refused!.Message, Is.EqualTo(
                $"another gradient-node (pid {Environment.ProcessId}) already runs node 'default' on the engine {Engine}: two nodes with one "
                + "name remove each other's replicas as orphans; stop that one first, or give this one its own --node-name (node.yaml nodeName)"));
        });
    }

    [Test]
    public async Task AcquireAsync_OtherNameOrOtherEngine_BothHeld()
    {
        using var first = await NodeNameLease.AcquireAsync("default", Engine, Libc.GetEffectiveUserId(), TimeProvider.System, CancellationToken.None, _prefix);
        using var otherName = await NodeNameLease.AcquireAsync("gpu1", Engine, Libc.GetEffectiveUserId(), TimeProvider.System, CancellationToken.None, _prefix);
        using var otherEngine = await NodeNameLease.AcquireAsync("default", "unix:///tmp/other/docker.sock", Libc.GetEffectiveUserId(), TimeProvider.System, CancellationToken.None, _prefix);

        Assert.Multiple(() =>
        {
            Assert.That(otherName.Warning, Is.Null);
            Assert.That(otherEngine.Warning, Is.Null);
        });
    }

    [Test]
    public async Task AcquireAsync_HolderStopped_TakenAgain()
    {
        (await NodeNameLease.AcquireAsync("default", Engine, Libc.GetEffectiveUserId(), TimeProvider.System, CancellationToken.None, _prefix)).Dispose();

        using var again = await NodeNameLease.AcquireAsync("default", Engine, Libc.GetEffectiveUserId(), TimeProvider.System, CancellationToken.None, _prefix);

        Assert.That(again.Warning, Is.Null);
    }

    [Test]
    public async Task AcquireAsync_HeldByAnotherUser_StartsWithAWarningSoThatNobodyCanKeepTheNodeDown()
    {
        // The holder runs as this test's user; the node asking is told it runs as another one (a local user took the name first).
        using var squatter = await NodeNameLease.AcquireAsync("default", Engine, Libc.GetEffectiveUserId(), TimeProvider.System, CancellationToken.None, _prefix);
        var asking = Libc.GetEffectiveUserId() + 1000;

        using var lease = await NodeNameLease.AcquireAsync("default", Engine, asking, TimeProvider.System, CancellationToken.None, _prefix);

        Assert.That(lease.Warning, Is.EqualTo(
            $"the node name 'default' on {Engine} is held by a process of uid {Libc.GetEffectiveUserId()}, not this node's user: another node "
            + "with this name would not be refused"));
    }

    [Test]
    public async Task AcquireAsync_AskedManyTimesWhileHeld_EveryAskAnswered()
    {
        // The holder closes each connection it is asked on, so that its queue never fills and an asking node never waits.
        using var first = await NodeNameLease.AcquireAsync("default", Engine, Libc.GetEffectiveUserId(), TimeProvider.System, CancellationToken.None, _prefix);

        for (var i = 0; i < 200; i++) // more than its queue holds
        {
            Assert.ThrowsAsync<StartupException>(() => NodeNameLease.AcquireAsync("default", Engine, Libc.GetEffectiveUserId(), TimeProvider.System, CancellationToken.None, _prefix));
        }
    }
}
