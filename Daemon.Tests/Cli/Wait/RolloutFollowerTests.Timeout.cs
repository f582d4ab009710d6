using GradientNode.Core.Status;
using GradientNode.Daemon.Cli;
using GradientNode.Daemon.Cli.Wait;
using NUnit.Framework;
using static GradientNode.Tests.Cli.Wait.StatusScript;

namespace GradientNode.Tests.Cli.Wait;

/// <summary><c>--timeout</c>: exit 124, what the last line says, and a hint that can be pasted.</summary>
internal sealed partial class RolloutFollowerTests
{
    [Test]
    public async Task FollowAsync_TimeoutPasses_Exits124AndSaysTheRolloutGoesOn()
    {
        using var rig = new PlainLinesFollower();
        var progressing = Snapshot(DeploymentState.Progressing, "0/1 replicas ready", NewHash, 1, Replica(0, "running", false));
        var follower = rig.Reading(progressing);

        var code = await follower.FollowAsync(Target, TimeSpan.FromSeconds(3), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Timeout));
            Assert.That(rig.Printed, Does.EndWith("2026-12-02T10:00:03Z timed out: deployment 'hello' is not rolled out after 3s; --wait gave up (--timeout 3s), the rollout goes on (gradient-node get hello)\n"));
        });
    }

    [Test]
    public async Task FollowAsync_WallClockStepsForwardAnHourWhileFollowing_TimesOutOnlyAfterItsTimeout()
    {
        // Before, --timeout was a wall-clock instant: a step forward ended the wait at once, one back stretched it by as much.
        var time = new GradientNode.Tests.Infrastructure.SteppingTimeProvider(Start);
        using var output = new StringWriter();
        var progressing = Snapshot(DeploymentState.Progressing, "0/1 replicas ready", NewHash, 1, Replica(0, "running", false));
        var reads = 0;
        var advanced = TimeSpan.Zero;
        var follower = new RolloutFollower(
            _ =>
            {
                if (++reads == 2)
                {
                    time.Step(TimeSpan.FromHours(1));
                }

                return Task.FromResult<DeploymentStatus?>(progressing);
            },
            new LineProgressView(output, time),
            time,
            (wait, _) =>
            {
                time.Advance(wait);
                advanced += wait;
                return Task.CompletedTask;
            });

        var code = await follower.FollowAsync(Target, TimeSpan.FromSeconds(3), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Timeout));
            Assert.That(advanced, Is.EqualTo(TimeSpan.FromSeconds(3)), "3 s of the fake clock passed, not 0");
        });
    }

    [Test]
    public async Task FollowAsync_TimeoutWithOnlyTheProxyBehind_SaysTheProxyDoesNotServeThemYet()
    {
        using var rig = new PlainLinesFollower();
        var unrouted = Snapshot(DeploymentState.Ready, "1/1 replicas ready", NewHash, 1, Replica(0, "running", true)) with { Routed = false };
        var follower = rig.Reading(unrouted);

        var code = await follower.FollowAsync(Target, TimeSpan.FromSeconds(3), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Timeout));
            Assert.That(rig.Printed, Does.EndWith(
                "timed out: deployment 'hello' is not rolled out after 3s; its replicas are ready but the proxy does not serve them yet "
                + "(is the proxy role running? gradient-node node); --wait gave up (--timeout 3s), the rollout goes on (gradient-node get hello)\n"));
        });
    }

    [Test]
    public async Task FollowAsync_TimeoutForANameWithSpaces_HintsACommandThatCanBePasted()
    {
        using var rig = new PlainLinesFollower();
        var progressing = Snapshot(DeploymentState.Progressing, "0/1 replicas ready", NewHash, 1, Replica(0, "running", false));
        var follower = rig.Reading(progressing);

        await follower.FollowAsync(Target with { Name = "Echo App" }, TimeSpan.FromSeconds(3), CancellationToken.None);

        Assert.That(rig.Printed, Does.EndWith("the rollout goes on (gradient-node get echo-app)\n"));
    }
}
