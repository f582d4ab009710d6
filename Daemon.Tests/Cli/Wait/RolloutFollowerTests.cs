using GradientNode.Core.Status;
using GradientNode.Daemon.Cli;
using GradientNode.Daemon.Cli.Wait;
using NUnit.Framework;
using static GradientNode.Tests.Cli.Wait.StatusScript;

namespace GradientNode.Tests.Cli.Wait;

[TestFixture]
[Category("Unit")]
internal sealed partial class RolloutFollowerTests
{
    private static readonly RolloutTarget Target = new("hello", NewHash, 1);

    [Test]
    public async Task FollowAsync_PipedRollout_PrintsOneTimestampedLinePerChangeAndExitsZero()
    {
        var (code, output) = await RunLinesAsync(
            Snapshot(DeploymentState.Ready, "1/1 replicas ready", OldHash, 1, Replica(0, "running", true, OldHash)),
            Snapshot(DeploymentState.Progressing, "0/1 replicas ready", NewHash, 1, Replica(0, "running", true, OldHash)) with { Pull = Pull(1_000_000, 10_000_000, 0, 3) },
            Snapshot(DeploymentState.Progressing, "0/1 replicas ready", NewHash, 1, Replica(0, "running", true, OldHash)) with { Pull = Pull(1_500_000, 10_000_000, 1, 3) },
            Snapshot(DeploymentState.Progressing, "0/1 replicas ready", NewHash, 1, Replica(0, "running", true, OldHash)) with { Pull = Pull(1_600_000, 10_000_000, 1, 3) },
            Snapshot(DeploymentState.Progressing, "0/1 replicas ready", NewHash, 1, Replica(0, "running", true, OldHash), Replica(0, "created", false)),
            Snapshot(DeploymentState.Progressing, "0/1 replicas ready", NewHash, 1, Replica(0, "running", true, OldHash), Replica(0, "running", false, message: "waiting for the readiness probe")),
            Snapshot(DeploymentState.Ready, "1/1 replicas ready", NewHash, 1, Replica(0, "running", true)));

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Ok));
            Assert.That(output, Is.EqualTo(
                """
                2026-12-02T10:00:00Z state: waiting for the daemon to pick up the new version
                2026-12-02T10:00:00Z replica 0 (old): ready (old version)
                2026-12-02T10:00:00Z state: Progressing: 0/1 replicas ready
                2026-12-02T10:00:00Z pull: localhost:5000/web:2 10%, 0/3 layers
                2026-12-02T10:00:01Z pull: localhost:5000/web:2 10%, 1/3 layers
                2026-12-02T10:00:02Z replica 0: creating
                2026-12-02T10:00:02Z replica 0: probing: waiting for the readiness probe
                2026-12-02T10:00:03Z replica 0 (old): gone
                2026-12-02T10:00:03Z state: Ready: 1/1 replicas ready
                2026-12-02T10:00:03Z replica 0: ready
                2026-12-02T10:00:03Z endpoint: http://hello.localhost:8080/
                2026-12-02T10:00:03Z rolled out: deployment 'hello' 1/1 replicas ready at http://hello.localhost:8080/

                """.ReplaceLineEndings("\n")));
        });
    }

    [Test]
    public async Task FollowAsync_ReplicaCrashes_ExitsOneWithTheExitCode()
    {
        var (code, output) = await RunLinesAsync(
            Snapshot(DeploymentState.Progressing, "0/1 replicas ready", NewHash, 1, Replica(0, "running", false)),
            Snapshot(DeploymentState.Degraded, "0/1 ready: replica 0 exited with code 3; restarting in 1s", NewHash, 1, Replica(0, "exited", false, exit: 3, message: "exited with code 3")));

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Failed));
            Assert.That(output, Does.Contain("replica 0: crashed (exit code 3): exited with code 3\n"));
            Assert.That(output, Does.Contain("failed: deployment 'hello': replica 0 crashed: exited with code 3 (0/1 ready: replica 0 exited with code 3; restarting in 1s)\n"));
        });
    }

    [Test]
    public async Task FollowAsync_RolloutPassesProgressDeadline_ExitsOneWithTheMessage()
    {
        var failed = Snapshot(DeploymentState.Degraded, "RolloutFailed: no new replica became ready", NewHash, 1, Replica(0, "running", true, OldHash), Replica(0, "running", false))
            with { Rollout = new RolloutStatus("Failed", NewHash, [OldHash], Start, "no new replica became ready within the progress deadline (5 s); the old version keeps serving") };

        var (code, output) = await RunLinesAsync(failed);

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Failed));
            Assert.That(output, Does.Contain("failed: deployment 'hello': rollout failed: no new replica became ready within the progress deadline (5 s); the old version keeps serving"));
        });
    }

    [Test]
    public async Task FollowAsync_MissingSecretWhileTheOldVersionServes_ExitsOneNamingTheSecret()
    {
        const string missing = "env[API_KEY] refers to secret 'api-key', which does not exist (create it: gradient-node secrets set api-key)";
        var blocked = Snapshot(DeploymentState.Degraded, missing, NewHash, 1, Replica(0, "running", true, OldHash)) with { Blocked = missing };

        var (code, output) = await RunLinesAsync(blocked);

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Failed));
            Assert.That(output, Does.Contain($"failed: deployment 'hello': {missing} (the replicas already running keep running)\n"));
        });
    }

    [Test]
    public async Task FollowAsync_DegradedWithoutAnError_KeepsFollowing()
    {
        var (code, output) = await RunLinesAsync(
            [new RolloutTarget("hello", NewHash, 2)],
            Snapshot(DeploymentState.Degraded, "1/2 ready: replica 1 restarting", NewHash, 2, Replica(0, "running", true), Replica(1, "running", false)),
            Snapshot(DeploymentState.Ready, "2/2 replicas ready", NewHash, 2, Replica(0, "running", true), Replica(1, "running", true)));

        Assert.That(code, Is.EqualTo(ExitCodes.Ok), output);
    }

    [Test]
    public async Task FollowAsync_DeploymentFailed_ExitsOneWithTheMessage()
    {
        var (code, output) = await RunLinesAsync(Snapshot(DeploymentState.Failed, "image pull failed: manifest unknown", NewHash, 1));

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Failed));
            Assert.That(output, Does.Contain("failed: deployment 'hello': image pull failed: manifest unknown\n"));
        });
    }

    [Test]
    public async Task FollowAsync_ScaledToZero_SaysTheDeploymentIsScaledToZero()
    {
        // known18: "is disabled (replicas: 0)" while the file said enabled: true.
        var (code, output) = await RunLinesAsync(
            [new RolloutTarget("zero", NewHash, 0)],
            Snapshot(DeploymentState.Ready, "1/1 replicas ready", NewHash, 1, Replica(0, "running", true)),
            Snapshot(DeploymentState.Progressing, "stopping 1 replica (deployment scaled to 0 (resources.replicas: 0))", null!, 0, Replica(0, "running", false) with { Current = false }),
            Snapshot(DeploymentState.Disabled, "deployment scaled to 0 (resources.replicas: 0)", null!, 0));

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Ok));
            Assert.That(output, Does.StartWith("2026-12-02T10:00:00Z state: waiting for the daemon to pick up the new version\n"), "the stale Ready 1/1 is not the new state");
            Assert.That(output, Does.Contain("state: Progressing: stopping 1 replica (deployment scaled to 0 (resources.replicas: 0))\n"), "stopping is the new state, not a wait for the pickup");
            Assert.That(output, Does.Not.Contain("(old"), "the replica that stops is of the version followed, not an old one");
            Assert.That(output, Does.EndWith("rolled out: deployment 'zero' is scaled to 0 (resources.replicas: 0)\n"), "not \"deployment 'zero' deployment scaled\"");
        });
    }

    [Test]
    public async Task FollowAsync_ScaledBackFromZero_FirstLineWaitsForThePickupNotTheStaleDisabled()
    {
        // known18: scale NAME 2 --wait of a deployment scaled to 0 first printed "state: Disabled: deployment disabled
        // (replicas: 0)" as if current, until the daemon picked the change up.
        var (code, output) = await RunLinesAsync(
            [new RolloutTarget("hello", NewHash, 2)],
            Snapshot(DeploymentState.Disabled, "deployment scaled to 0 (resources.replicas: 0)", null!, 0),
            Snapshot(DeploymentState.Progressing, "0/2 replicas ready", NewHash, 2, Replica(0, "created", false), Replica(1, "created", false)),
            Snapshot(DeploymentState.Ready, "2/2 replicas ready", NewHash, 2, Replica(0, "running", true), Replica(1, "running", true)));

        var lines = output.Split('\n');
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Ok));
            Assert.That(lines[0], Is.EqualTo("2026-12-02T10:00:00Z state: waiting for the daemon to pick up the new version"));
            Assert.That(output, Does.Not.Contain("Disabled"));
            Assert.That(output, Does.Contain("rolled out: deployment 'hello' 2/2 replicas ready"));
        });
    }

    [Test]
    public async Task FollowAsync_StaleReplicaCountOfTheSameVersion_IsNotShownAsTheNewState()
    {
        // known18: the count is not in the spec hash, so scale hello 2 --wait showed the stale "Ready: 1/1" as current.
        var (_, output) = await RunLinesAsync(
            [new RolloutTarget("hello", NewHash, 2)],
            Snapshot(DeploymentState.Ready, "1/1 replicas ready", NewHash, 1, Replica(0, "running", true)),
            Snapshot(DeploymentState.Ready, "2/2 replicas ready", NewHash, 2, Replica(0, "running", true), Replica(1, "running", true)));

        Assert.That(output, Does.StartWith("2026-12-02T10:00:00Z state: waiting for the daemon to pick up the new version\n"));
        Assert.That(output, Does.Not.Contain("Ready: 1/1"));
    }

    [Test]
    public async Task FollowAsync_StaleReplicaCount_WaitsForTheNewCount()
    {
        var (code, output) = await RunLinesAsync(
            [new RolloutTarget("hello", NewHash, 2)],
            Snapshot(DeploymentState.Ready, "1/1 replicas ready", NewHash, 1, Replica(0, "running", true)),
            Snapshot(DeploymentState.Ready, "2/2 replicas ready", NewHash, 2, Replica(0, "running", true), Replica(1, "running", true)));

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Ok));
            Assert.That(output, Does.Contain("2026-12-02T10:00:00Z rolled out: deployment 'hello' 2/2 replicas ready"));
        });
    }

    [Test]
    public async Task FollowAsync_DaemonRestartsWhileFollowing_SaysSoAndGoesOnToTheEnd()
    {
        using var rig = new PlainLinesFollower();
        var reads = 0;
        var ready = Snapshot(DeploymentState.Ready, "1/1 replicas ready", NewHash, 1, Replica(0, "running", true));
        var follower = rig.Reading(
            _ => ++reads <= 6 ? throw new DaemonUnreachableException("cannot reach gradient-node at /run/gradient/gradient.sock: no socket file there.") : Task.FromResult<DeploymentStatus?>(ready));

        var code = await follower.FollowAsync(Target, null, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Ok), rig.Printed);
            Assert.That(rig.Printed, Does.Contain("state: the daemon does not answer (restarting?); still following"));
            Assert.That(rig.Printed, Does.Contain("rolled out: deployment 'hello'"));
        });
    }

    [Test]
    public async Task FollowAsync_DaemonGoneForGood_Exits3AfterTheGrace()
    {
        using var rig = new PlainLinesFollower();
        var follower = rig.Reading(_ => throw new DaemonUnreachableException("cannot reach gradient-node at /run/gradient/gradient.sock: Connection refused."));

        var code = await follower.FollowAsync(Target, null, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Unreachable));
            Assert.That(rig.Time.GetUtcNow() - Start, Is.EqualTo(RolloutFollower.ReconnectGrace));
            Assert.That(rig.Printed, Does.EndWith(
                "lost the daemon for 30s: cannot reach gradient-node at /run/gradient/gradient.sock: Connection refused. The rollout goes on once it is back (gradient-node get hello)\n"));
        });
    }

    [Test]
    public async Task FollowAsync_Interrupted_Exits130AndLeavesTheRollout()
    {
        var time = new FakeTimeProvider(Start);
        using var output = new StringWriter();
        using var interrupt = new CancellationTokenSource();
        var progressing = Snapshot(DeploymentState.Progressing, "0/1 replicas ready", NewHash, 1);
        var follower = new RolloutFollower(
            _ =>
            {
                interrupt.Cancel();
                return Task.FromResult<DeploymentStatus?>(progressing);
            },
            new LineProgressView(output, time),
            time,
            (_, ct) => Task.FromCanceled(ct));

        var code = await follower.FollowAsync(Target, null, interrupt.Token);

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Interrupted));
            Assert.That(output.ToString(), Does.EndWith("stopped following; the rollout goes on (gradient-node get hello)\n"));
        });
    }

    [Test]
    public async Task FollowAsync_Terminal_RedrawsOneBlockAndEndsWithTheFinalScreen()
    {
        var time = new FakeTimeProvider(Start);
        using var output = new StringWriter();
        var script = new Queue<DeploymentStatus>([
            Snapshot(DeploymentState.Progressing, "0/2 replicas ready; pulling", NewHash, 2) with { Pull = Pull(5_000_000, 10_000_000, 1, 2) },
            Snapshot(DeploymentState.Progressing, "1/2 replicas ready", NewHash, 2, Replica(0, "running", true), Replica(1, "running", false, message: "waiting for the readiness probe")),
            Snapshot(DeploymentState.Ready, "2/2 replicas ready", NewHash, 2, Replica(0, "running", true), Replica(1, "running", true)),
        ]);
        var follower = new RolloutFollower(_ => Task.FromResult<DeploymentStatus?>(script.Dequeue()), new LiveProgressView(output, 120), time, PlainLinesFollower.Advance(time));

        var code = await follower.FollowAsync(new RolloutTarget("hello", NewHash, 2), null, CancellationToken.None);

        var written = output.ToString();
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Ok));
            Assert.That(written, Does.Contain("[############------------] localhost:5000/web:2 5.0 MB of 10.0 MB, 1/2 layers"), "the pull's bar was drawn");
            Assert.That(written, Does.Contain("\u001b[32m"), "ready is green");
            Assert.That(TerminalScreen.Render(written), Is.EqualTo(new[]
            {
                "state        Ready: 2/2 replicas ready",
                "replica 0    ready",
                "replica 1    ready",
                "endpoint     http://hello.localhost:8080/",
                "rolled out: deployment 'hello' 2/2 replicas ready at http://hello.localhost:8080/",
            }));
        });
    }

    private static Task<(int Code, string Output)> RunLinesAsync(params DeploymentStatus[] script) => RunLinesAsync([Target], script);

    private static async Task<(int Code, string Output)> RunLinesAsync(RolloutTarget[] target, params DeploymentStatus[] script)
    {
        using var rig = new PlainLinesFollower();
        var code = await rig.ReadingInTurnThenTheLast(script).FollowAsync(target[0], TimeSpan.FromMinutes(1), CancellationToken.None);
        return (code, rig.Printed);
    }
}
