using GradientNode.Core.Health;
using GradientNode.Core.Status;
using GradientNode.Daemon.Cli;
using GradientNode.Daemon.Cli.Wait;
using NUnit.Framework;
using static GradientNode.Tests.Cli.Wait.StatusScript;

namespace GradientNode.Tests.Cli.Wait;

/// <summary>When <c>--wait</c> gives up: said as it starts, with the node's time once a problem shows, and at the end what keeps serving.</summary>
internal sealed partial class RolloutFollowerTests
{
    [Test]
    public async Task FollowAsync_NewVersionNeverGetsReady_SaysItsDeadlineThenWhenTheNodeGivesUpThenThatTheOldVersionServes()
    {
        using var rig = new PlainLinesFollower();
        var old = Replica(0, "running", true, OldHash);
        var probing = Replica(0, "running", false);
        var failing = probing with { Health = new ReplicaHealthStatus("notReady", null, new ProbeStatus { LastMessage = "HTTP 404" }, null) };
        var waiting = Snapshot(DeploymentState.Progressing, "0/1 replicas ready; replacing 1 old replica", NewHash, 1, old, probing) with { ProgressDeadlineSeconds = 600, GivesUpAt = Start.AddMinutes(10) };
        var follower = rig.ReadingInTurnThenTheLast(waiting, waiting with { Replicas = [old, failing] });

        var code = await follower.FollowAsync(Target, TimeSpan.FromSeconds(3), CancellationToken.None);

        // Before: the reason showed at once, but neither when --wait nor when the node would give up, nor what serves after.
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Timeout));
            Assert.That(rig.Printed, Does.Contain(
                "2026-12-02T10:00:00Z deadline: --wait gives up at 10:00:03Z (--timeout 3s); the node gives up on this version when no new replica "
                + "is ready for 10m (--progress-deadline), then the last good version keeps serving\n"));
            Assert.That(rig.Printed, Does.Contain(
                "2026-12-02T10:00:00Z deadline: the node gives up on this version at 10:10:00Z unless a new replica is ready by then (--progress-deadline 10m); "
                + "then the last good version keeps serving, and --wait ends with exit 1; --wait gives up at 10:00:03Z (--timeout 3s)\n"));
            Assert.That(rig.Printed, Does.EndWith(
                "timed out: deployment 'hello' is not rolled out after 3s; --wait gave up (--timeout 3s), the rollout goes on (the node gives up on it at "
                + "10:10:00Z if no new replica is ready by then); the last good version keeps serving (1 replica ready) (gradient-node get hello)\n"));
        });
    }

    [Test]
    public async Task FollowAsync_NoTimeoutFirstVersion_SaysWaitHasNoLimitAndTheVersionIsThenFailed()
    {
        using var rig = new PlainLinesFollower();
        var probing = Snapshot(DeploymentState.Progressing, "0/1 replicas ready", NewHash, 1, Replica(0, "running", false)) with { ProgressDeadlineSeconds = 90 };
        var ready = Snapshot(DeploymentState.Ready, "1/1 replicas ready", NewHash, 1, Replica(0, "running", true)) with { ProgressDeadlineSeconds = 90 };
        var follower = rig.ReadingEachOnce(probing, ready);

        var code = await follower.FollowAsync(Target, null, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Ok));
            Assert.That(rig.Printed, Does.Contain(
                "deadline: --wait has no limit of its own (--timeout D sets one); the node gives up on this version when no new replica is ready "
                + "for 1m30s (--progress-deadline), then this version is Failed (still tried)\n"));
            Assert.That(rig.Printed.Split('\n').Count(l => l.Contains(" deadline: ", StringComparison.Ordinal)), Is.EqualTo(1), "said once, not at every poll");
        });
    }

    [Test]
    public async Task FollowAsync_ScaleUpBesideAReadyReplica_SaysOnlyItsOwnLimitNotThatTheVersionWouldFail()
    {
        using var rig = new PlainLinesFollower();
        var scaling = Snapshot(DeploymentState.Progressing, "1/2 replicas ready", NewHash, 2, Replica(0, "running", true), Replica(1, "running", false)) with { ProgressDeadlineSeconds = 600 };
        var ready = Snapshot(DeploymentState.Ready, "2/2 replicas ready", NewHash, 2, Replica(0, "running", true), Replica(1, "running", true)) with { ProgressDeadlineSeconds = 600 };
        var follower = rig.ReadingEachOnce(scaling, ready);

        await follower.FollowAsync(Target with { Replicas = 2 }, TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.That(rig.Printed, Does.Contain("deadline: --wait gives up at 10:01:00Z (--timeout 1m)\n"));
    }

    [Test]
    public async Task FollowAsync_FirstVersionOfTwoReplicasGetsReadyOneByOne_DeadlineSaidOnce()
    {
        // Before: a second, shortened deadline line when replica 0 got ready, just before 'rolled out' (newuser15).
        using var rig = new PlainLinesFollower();
        var none = Snapshot(DeploymentState.Progressing, "0/2 replicas ready", NewHash, 2, Replica(0, "running", false), Replica(1, "running", false)) with { ProgressDeadlineSeconds = 600 };
        var one = Snapshot(DeploymentState.Progressing, "1/2 replicas ready", NewHash, 2, Replica(0, "running", true), Replica(1, "running", false)) with { ProgressDeadlineSeconds = 600 };
        var both = Snapshot(DeploymentState.Ready, "2/2 replicas ready", NewHash, 2, Replica(0, "running", true), Replica(1, "running", true)) with { ProgressDeadlineSeconds = 600 };
        var follower = rig.ReadingEachOnce(none, one, both);

        var code = await follower.FollowAsync(Target with { Replicas = 2 }, TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Ok));
            Assert.That(rig.Printed.Split('\n').Where(l => l.Contains(" deadline: ", StringComparison.Ordinal)), Is.EqualTo(new[]
            {
                "2026-12-02T10:00:00Z deadline: --wait gives up at 10:01:00Z (--timeout 1m); the node gives up on this version when no new replica "
                + "is ready for 10m (--progress-deadline), then this version is Failed (still tried)",
            }));
        });
    }

    [Test]
    public async Task FollowAsync_NewReplicaCrashesWhileTheOldServes_FailedLineSaysTheLastGoodVersionKeepsServing()
    {
        using var rig = new PlainLinesFollower();
        var crashed = Replica(0, "exited", false, exit: 3) with { LastLogLines = ["boom"] };
        var status = Snapshot(DeploymentState.Degraded, "0/1 ready: replica 0 exited with code 3", NewHash, 1, Replica(0, "running", true, OldHash), crashed);
        var follower = rig.Reading(status);

        var code = await follower.FollowAsync(Target, null, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Failed));
            Assert.That(rig.Printed, Does.EndWith(
                "failed: deployment 'hello': replica 0 crashed: exited with code 3 (0/1 ready: replica 0 exited with code 3); the last good version keeps serving "
                + "(1 replica ready)\n  last log lines:\n    boom\n"));
        });
    }
}
