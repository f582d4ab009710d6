using GradientNode.Core.Reconciliation;
using GradientNode.Core.Status;
using GradientNode.Daemon.Cli.Wait;
using NUnit.Framework;
using static GradientNode.Tests.Cli.Wait.StatusScript;

namespace GradientNode.Tests.Cli.Wait;

[TestFixture]
[Category("Unit")]
internal sealed class RolloutJudgeTests
{
    private static readonly RolloutTarget Target = new("hello", NewHash, null);

    [Test]
    public void Judge_ReplicaStoppedByTheNodeForAFailedLivenessProbe_FailsNamingTheProbe()
    {
        var stopped = Replica(0, "exited", ready: false, exit: 0, message: "exited with code 0") with
        {
            History =
            [
                new ReplicaEvent("notReady", "gradient-hello-0-abc123: waiting for the readiness probe", Start),
                new ReplicaEvent("stopping", "gradient-hello-0-abc123: liveness probe failed 2 times in a row: 'sleep 10' timed out after 2 s", Start.AddSeconds(4)),
                new ReplicaEvent("stopped", "gradient-hello-0-abc123: exited with code 0", Start.AddSeconds(5)),
            ],
        };
        var status = Snapshot(DeploymentState.Degraded, "0/1 ready: replica 0 was stopped by the node: liveness probe failed 2 times in a row: 'sleep 10' timed out after 2 s; restarting in 10s", replicas: stopped);

        var verdict = RolloutJudge.Judge(Target, status);

        Assert.Multiple(() =>
        {
            Assert.That(verdict.Outcome, Is.EqualTo(RolloutOutcome.Failed));
            Assert.That(verdict.Message, Does.StartWith("replica 0 was stopped by the node: liveness probe failed 2 times in a row: 'sleep 10' timed out after 2 s ("));
        });
    }

    [Test]
    public void Judge_ReplicaStoppedByTheNodeExited143AfterADaemonRestart_SaysStoppedNotCrashed()
    {
        // No history after a daemon restart: the state message (kept in the state dir) says why; 143 is SIGTERM, no crash.
        var stopped = Replica(0, "exited", ready: false, exit: 143, message: "stopped by the node: liveness probe failed 3 times in a row");
        var status = Snapshot(DeploymentState.Degraded, "0/1 ready: replica 0 was stopped by the node: liveness probe failed 3 times in a row; restarting in 10s", replicas: stopped);

        var verdict = RolloutJudge.Judge(Target, status);

        Assert.That(verdict.Message, Does.StartWith("replica 0 was stopped by the node: liveness probe failed 3 times in a row ("));
    }

    [Test]
    public void Judge_NodesReasonFollowedByADrainingEntry_FailsWithTheNodesReasonNotACrash()
    {
        // As the daemon writes it: the executor's stopping entry (the reason), then the observer's own for the same
        // container while it drains, then its exit (143: SIGTERM). Before, the later draining entry hid the reason and
        // the verdict read "crashed: exited with code 143".
        const string Why = "liveness probe failed 3 times in a row: 503 from GET /health on port 8080";
        var stopped = Replica(0, "exited", ready: false, exit: 143, message: "exited with code 143") with
        {
            History =
            [
                new ReplicaEvent("ready", "gradient-hello-0-abc123", Start),
                new ReplicaEvent("stopping", $"gradient-hello-0-abc123: {Why}", Start.AddSeconds(30)),
                new ReplicaEvent("stopping", $"gradient-hello-0-abc123: {StatusBuilder.Draining}", Start.AddSeconds(31)),
                new ReplicaEvent("failed", "gradient-hello-0-abc123: exited with code 143", Start.AddSeconds(40)),
            ],
        };
        var status = Snapshot(DeploymentState.Degraded, "0/1 ready: replica 0 exited with code 143; restarting in 10s", replicas: stopped);

        var verdict = RolloutJudge.Judge(Target, status);

        Assert.Multiple(() =>
        {
            Assert.That(verdict.Outcome, Is.EqualTo(RolloutOutcome.Failed));
            Assert.That(verdict.Message, Does.StartWith($"replica 0 was stopped by the node: {Why} ("));
        });
    }

    [Test]
    public void Judge_ReplicaDrainedAndExitedZero_StillPending()
    {
        // A scale-down's or rollout's drained replica exits 0 too: that is no failure.
        var drained = Replica(1, "exited", ready: false, exit: 0) with
        {
            History = [new ReplicaEvent("stopping", $"gradient-hello-1-abc123: {StatusBuilder.Draining}", Start)],
        };
        var status = Snapshot(DeploymentState.Progressing, "1/1 replicas ready", desired: 1, replicas: [Replica(0, "running", ready: true), drained]);

        Assert.That(RolloutJudge.Judge(Target, status), Is.EqualTo(RolloutVerdict.Pending));
    }

    [Test]
    public void Judge_EarlierContainerOfTheIndexWasStoppedByAProbe_ThisOneEndedOnItsOwnIsNotBlamedOnIt()
    {
        var exited = Replica(0, "exited", ready: false, exit: 0) with
        {
            Container = "gradient-hello-0-def456",
            History = [new ReplicaEvent("stopping", "gradient-hello-0-abc123: liveness probe failed 3 times in a row: 500", Start)],
        };
        var status = Snapshot(DeploymentState.Degraded, "0/1 ready: replica 0 exited with code 0; restarting", replicas: exited);

        Assert.That(RolloutJudge.Judge(Target, status).Message, Does.StartWith("replica 0 ended on its own: exited with code 0"));
    }

    [Test]
    public void Judge_ReplicaEndedOnItsOwnWithCodeZero_FailsAtOnceSayingItMustKeepRunning()
    {
        // A container whose command ends (exit 0) is restarted with backoff as a crash is: before, --wait followed it as if
        // still starting, until --timeout or the progress deadline (10 min).
        var ended = Replica(0, "exited", ready: false, exit: 0, message: "exited with code 0") with
        {
            History =
            [
                new ReplicaEvent("notReady", "gradient-hello-0-abc123: the first port does not accept TCP connections yet", Start),
                new ReplicaEvent("stopped", "gradient-hello-0-abc123: exited with code 0", Start.AddSeconds(1)),
            ],
            LastLogLines = ["done"],
        };
        var status = Snapshot(DeploymentState.Degraded, "0/1 ready: replica 0 exited with code 0; restarting in 10s", replicas: ended);

        var verdict = RolloutJudge.Judge(Target, status);

        Assert.Multiple(() =>
        {
            Assert.That(verdict.Outcome, Is.EqualTo(RolloutOutcome.Failed));
            Assert.That(verdict.Message, Is.EqualTo("replica 0 ended on its own: exited with code 0, but a deployment's process must keep running (0/1 ready: replica 0 exited with code 0; restarting in 10s)\n  last log lines:\n    done"));
        });
    }

    [TestCase(false, false)]
    [TestCase(true, true)]
    [TestCase(null, true)]
    public void Judge_EveryReplicaReady_RolledOutOnlyOnceTheProxysTableHasThem(bool? routed, bool rolledOut)
    {
        // Before: "rolled out … at http://…" while the route table still lacked the replicas, and a request sent at once got a 404.
        var status = Snapshot(DeploymentState.Ready, "1/1 replicas ready", replicas: Replica(0, "running", ready: true)) with { Routed = routed };

        Assert.That(RolloutJudge.Judge(Target, status).Outcome, Is.EqualTo(rolledOut ? RolloutOutcome.RolledOut : RolloutOutcome.Pending));
    }
}
