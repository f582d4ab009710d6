using GradientNode.Core.Reconciliation;
using GradientNode.Core.Status;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

/// <summary>How a stopped replica's end reads: an exit code, the kernel's out-of-memory kill, or the node's own stop.</summary>
internal sealed partial class StatusBuilderTests
{
    [Test]
    public void Build_ReplicaKilledOutOfMemory_DegradedSaysOutOfMemory()
    {
        var oom = Exited(1, Hash, 137) with { OomKilled = true };

        var status = StatusBuilder.Build(Input(Entry(Spec), new DesiredReplicas(2, Hash), [Live(0, Hash), oom]));

        Assert.Multiple(() =>
        {
            Assert.That(status.State, Is.EqualTo(DeploymentState.Degraded));
            Assert.That(status.Message, Does.StartWith(
                "1/2 ready: replica 1 was killed: out of memory (exit code 137; the container went over the memory of its machine type)"));
            Assert.That(StatusBuilder.Lifecycle(oom), Is.EqualTo(("failed", "killed: out of memory (exit code 137; the container went over the memory of its machine type)")));
        });
    }

    [Test]
    public void Build_ReplicaKilledAtItsMemoryLimit_TheMessageNamesTheLimit()
    {
        var oom = Exited(1, Hash, 137) with { OomKilled = true, MemoryLimit = 2L << 30 };

        var status = StatusBuilder.Build(Input(Entry(Spec), new DesiredReplicas(2, Hash), [Live(0, Hash), oom]));

        Assert.That(status.Message, Does.StartWith(
            "1/2 ready: replica 1 was killed: out of memory (exit code 137; the container went over its memory limit of 2 GiB, the memory of its machine type)"));
    }

    [Test]
    public void Build_ReplicaRunsAgainAfterAnOutOfMemoryKill_ItsMessageSaysHowTheOneBeforeEnded()
    {
        const string Killed = "killed: out of memory (exit code 137; the container went over its memory limit of 2 GiB, the memory of its machine type)";
        var journal = new ReplicaJournal();
        journal.Record("hello-0", "failed", $"gradient-hello-0-000001: {Killed}", Now.AddSeconds(-20));
        journal.Record("hello-0", "pending", "restart 3", Now.AddSeconds(-10));
        journal.Record("hello-0", "ready", "gradient-hello-0-abcdef", Now.AddSeconds(-9));
        var again = Live(0, Hash) with { Restarts = 3, ExitCode = 137 };
        var otherJournal = new ReplicaJournal();
        otherJournal.Record("hello-0", "failed", "gradient-hello-0-000001: exited with code 137 (SIGKILL: killed, e.g. by docker kill, …)", Now.AddSeconds(-20));

        var status = StatusBuilder.Build(Input(Entry(Spec), new DesiredReplicas(1, Hash), [again]) with { Journal = journal });
        var killedFromOutside = StatusBuilder.Build(Input(Entry(Spec), new DesiredReplicas(1, Hash), [again]) with { Journal = otherJournal });

        Assert.Multiple(() =>
        {
            Assert.That(status.Replicas[0].StateMessage, Is.EqualTo($"restart 3: the container before it was {Killed}"));
            Assert.That(status.Replicas[0].Ready, Is.True);
            Assert.That(killedFromOutside.Replicas[0].StateMessage, Is.Null, "only an out-of-memory kill is recalled");
        });
    }

    [Test]
    public void Build_ReplicaRunsAgainAfterAnOutOfMemoryKillAndTheDaemonRestarted_ItsMessageStillSaysHowTheOneBeforeEnded()
    {
        // Before, replica-states.json kept each instance's last entry only (ready): the daemon that came back had no
        // failed entry to recall, and the running successor's message was gone (faults13 item 2).
        const string Killed = "killed: out of memory (exit code 137; the container went over its memory limit of 2 GiB, the memory of its machine type)";
        var dir = Directory.CreateTempSubdirectory("gn-oom-restart-").FullName;
        try
        {
            var path = Path.Combine(dir, ReplicaJournal.FileName);
            var before = new ReplicaJournal(path, GradientNode.Core.Common.StateFileDamage.Unlogged);
            before.Record("hello-0", "failed", $"gradient-hello-0-000001: {Killed}", Now.AddSeconds(-20));
            before.Record("hello-0", "pending", "restart 3", Now.AddSeconds(-10));
            before.Record("hello-0", "ready", "gradient-hello-0-abcdef", Now.AddSeconds(-9));
            before.Dispose();
            var again = Live(0, Hash) with { Restarts = 3, ExitCode = 137 };

            var after = new ReplicaJournal(path, GradientNode.Core.Common.StateFileDamage.Unlogged);
            var status = StatusBuilder.Build(Input(Entry(Spec), new DesiredReplicas(1, Hash), [again]) with { Journal = after });

            Assert.Multiple(() =>
            {
                Assert.That(status.Replicas[0].StateMessage, Is.EqualTo($"restart 3: the container before it was {Killed}"));
                Assert.That(after.History("hello-0")[^1], Is.EqualTo(new ReplicaEvent("ready", "gradient-hello-0-abcdef", Now.AddSeconds(-9))), "the last entry, as before");
            });
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void Build_VersionRunsTheLocalImage_WarningsSayWhy()
    {
        const string Why = "could not pull from registry r.example (containerRegistry 'r'), so the image already on this node runs: timeout";

        var status = StatusBuilder.Build(Input(Entry(Spec), new DesiredReplicas(1, Hash), [Live(0, Hash)]) with { ImageWarning = Why });

        Assert.That(status.Warnings, Is.EqualTo(new[] { Why }));
    }

    [Test]
    public void Lifecycle_ExitedWithoutOom_ExitCode() =>
        Assert.That(StatusBuilder.Lifecycle(Exited(1, Hash, 3)), Is.EqualTo(("failed", "exited with code 3")));

    [Test]
    public void Build_ReplicaStoppedByItsLivenessProbe_DegradedSaysWhyNotItsExitCode()
    {
        var stopped = Exited(1, Hash, 0);
        var journal = new ReplicaJournal();
        const string Why = "liveness probe failed 3 times in a row: 503 from GET /health on port 8080";
        journal.Record("hello-1", "stopping", $"{stopped.ContainerName}: {Why}", Now.AddSeconds(-2));
        journal.Record("hello-1", "stopped", $"{stopped.ContainerName}: exited with code 0", Now.AddSeconds(-1));

        var status = StatusBuilder.Build(Input(Entry(Spec), new DesiredReplicas(2, Hash), [Live(0, Hash), stopped], backoffUntil: Now.AddSeconds(9)) with { Journal = journal });

        Assert.That(status.Message, Is.EqualTo($"1/2 ready: replica 1 was stopped by the node: {Why}; restarting in 9s"));
    }

    [Test]
    public void Build_ReplicaStoppedByItsLivenessProbeThenJournaledDraining_SaysTheNodesReason()
    {
        // The observer's own draining entry for the same container follows the executor's reason: before, it hid it.
        var stopped = Exited(1, Hash, 143);
        var journal = new ReplicaJournal();
        const string Why = "liveness probe failed 3 times in a row";
        journal.Record("hello-1", "stopping", $"{stopped.ContainerName}: {Why}", Now.AddSeconds(-3));
        journal.Record("hello-1", "stopping", $"{stopped.ContainerName}: {StatusBuilder.Draining}", Now.AddSeconds(-2));
        journal.Record("hello-1", "failed", $"{stopped.ContainerName}: exited with code 143", Now.AddSeconds(-1));

        var status = StatusBuilder.Build(Input(Entry(Spec), new DesiredReplicas(2, Hash), [Live(0, Hash), stopped], backoffUntil: Now.AddSeconds(9)) with { Journal = journal });

        Assert.Multiple(() =>
        {
            Assert.That(status.Message, Is.EqualTo($"1/2 ready: replica 1 was stopped by the node: {Why}; restarting in 9s"));
            Assert.That(status.Replicas.Single(r => r.Index == 1).StateMessage, Is.EqualTo($"stopped by the node: {Why}"));
        });
    }

    [Test]
    public void Build_ReplicaExitedAfterAnEarlierContainerWasStopped_SaysTheExitCode()
    {
        var exited = Exited(1, Hash, 3);
        var journal = new ReplicaJournal();
        journal.Record("hello-1", "stopping", "gradient-hello-1-older0: liveness probe failed 3 times in a row", Now.AddMinutes(-2));

        var status = StatusBuilder.Build(Input(Entry(Spec), new DesiredReplicas(2, Hash), [Live(0, Hash), exited]) with { Journal = journal });

        Assert.That(status.Message, Is.EqualTo("1/2 ready: replica 1 exited with code 3; restarting"));
    }

    [Test]
    public void Build_ReplicaStoppedByTheNodeAndTheJournalLost_ReplicaLineAndMessageSayWhyFromTheRecord()
    {
        // After a daemon restart the journal is empty: the reason comes from the state dir's record (NodeStopStore).
        const string Why = "liveness probe failed 3 times in a row: 503 from GET /health on port 8080";
        var stopped = Exited(1, Hash, 0) with { StoppedByNode = Why };

        var status = StatusBuilder.Build(Input(Entry(Spec), new DesiredReplicas(2, Hash), [Live(0, Hash), stopped], backoffUntil: Now.AddSeconds(9)));

        Assert.Multiple(() =>
        {
            Assert.That(status.Message, Is.EqualTo($"1/2 ready: replica 1 was stopped by the node: {Why}; restarting in 9s"));
            Assert.That(status.Replicas.Single(r => r.Index == 1).StateMessage, Is.EqualTo($"stopped by the node: {Why}"));
            Assert.That(StatusBuilder.Lifecycle(stopped), Is.EqualTo(("stopped", $"stopped by the node: {Why}")));
        });
    }

    [Test]
    public void Build_ReplicaStoppedByTheNodeKnownToTheJournalOnly_ReplicaLineAgreesWithTheMessage()
    {
        var stopped = Exited(1, Hash, 143);
        var journal = new ReplicaJournal();
        journal.Record("hello-1", "stopping", $"{stopped.ContainerName}: startup probe failed 5 times", Now.AddSeconds(-2));

        var status = StatusBuilder.Build(Input(Entry(Spec), new DesiredReplicas(2, Hash), [Live(0, Hash), stopped]) with { Journal = journal });

        Assert.That(status.Replicas.Single(r => r.Index == 1).StateMessage, Is.EqualTo("stopped by the node: startup probe failed 5 times"));
    }
}
