using GradientNode.Core.Status;
using GradientNode.Daemon.Cli;
using GradientNode.Daemon.Cli.Wait;
using NUnit.Framework;
using static GradientNode.Tests.Cli.Wait.StatusScript;

namespace GradientNode.Tests.Cli.Wait;

/// <summary>A rollback (the last good file applied again while the new version is stuck), followed in plain lines.</summary>
internal sealed partial class RolloutFollowerTests
{
    [Test]
    public async Task FollowAsync_RollbackPolledBeforeThePickup_PrintsEachReplicaOnce()
    {
        using var rig = new PlainLinesFollower();
        var good = Replica(0, "running", true, OldHash);
        var stuck = Replica(0, "running", false, message: "readiness probe: 404 Not Found") with { ContainerId = "c0-new", Container = "gradient-hello-0-def456" };
        var before = Snapshot(DeploymentState.Progressing, "1/1 replicas ready; replacing 1 old replica", NewHash, 1, good, stuck);
        var after = Snapshot(DeploymentState.Ready, "1/1 replicas ready", OldHash, 1, good with { Current = true });
        var follower = rig.ReadingEachOnce(before, before, before, after);

        var code = await follower.FollowAsync(new RolloutTarget("hello", OldHash, 1), null, CancellationToken.None);

        // Before: "replica 0 (old): ready (old version)" and "replica 0 (old): probing (old version): …" at every poll.
        var lines = rig.Printed.Split('\n').Where(l => l.Contains(" replica 0", StringComparison.Ordinal)).Select(l => l[21..]).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Ok));
            Assert.That(lines, Is.EqualTo(new[] { "replica 0 (old): probing (old version): readiness probe: 404 Not Found", "replica 0: ready", "replica 0 (old): gone" }));
        });
    }
}
