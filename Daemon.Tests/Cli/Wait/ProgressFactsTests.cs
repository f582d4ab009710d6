using GradientNode.Core.Status;
using GradientNode.Daemon.Cli.Wait;
using NUnit.Framework;
using static GradientNode.Tests.Cli.Wait.StatusScript;

namespace GradientNode.Tests.Cli.Wait;

/// <summary>What the progress display says about integration downloads (volumes): bytes and files while fetching, then the state (its backoff countdown aside).</summary>
[TestFixture]
[Category("Unit")]
internal sealed class ProgressFactsTests
{
    private static readonly RolloutTarget Target = new("hello", NewHash, 1);

    [Test]
    public void From_WarningOfTheVersionFollowed_ShowsItAsAWarningLine()
    {
        var status = Snapshot(DeploymentState.Ready, "1/1 replicas ready") with { Warnings = ["could not pull from registry 127.0.0.1:5000 (containerRegistry 'private'), so the image already on this node runs: connection refused"] };

        var fact = ProgressFacts.From(status, Target).Single(f => f.Key == "warning");

        Assert.That(fact.Text, Is.EqualTo("could not pull from registry 127.0.0.1:5000 (containerRegistry 'private'), so the image already on this node runs: connection refused"));
    }

    [Test]
    public void From_CrashBackoffCountingDown_StateChangesOnlyWhenMoreThanTheSecondsChange()
    {
        // Before, a plain view (CI) printed the state line again every second of a crash backoff: "restarting in 10s",
        // "… in 9s", … (a crash loop followed to the 10-minute progress deadline wrote ~600 lines).
        var at = Start.AddSeconds(30);
        var facts = new[] { "restarting in 10s", "restarting in 9s", "restarting" }
            .Select(end => ProgressFacts.From(Snapshot(DeploymentState.Degraded, $"0/1 ready: replica 0 exited with code 0; {end}") with { RestartAt = at }, Target).Single(f => f.Key == "state"))
            .ToList();

        Assert.Multiple(() =>
        {
            Assert.That(facts.Select(f => f.Change).Distinct(), Is.EqualTo(new[] { "Degraded: 0/1 ready: replica 0 exited with code 0; restarting" }));
            Assert.That(facts[1].Text, Is.EqualTo("Degraded: 0/1 ready: replica 0 exited with code 0; restarting in 9s"));
            Assert.That(ProgressFacts.WithoutCountdown("Failed: restarting in a while"), Is.EqualTo("Failed: restarting in a while"));
        });
    }

    [Test]
    public void From_VolumeFetchingWithTotals_ShowsBytesFilesAndABar()
    {
        var status = Snapshot(DeploymentState.Progressing, "0/1 replicas ready") with
        {
            Volumes = [Volume("fetching") with { BytesDone = 2_500_000, BytesTotal = 10_000_000, FilesDone = 3, FilesTotal = 12 }],
        };

        var fact = ProgressFacts.From(status, Target).Single(f => f.Key == "integrations[0]");

        Assert.That(fact, Is.EqualTo(new ProgressFact("integrations[0]", "downloading 2.5 MB of 10.0 MB, 3/12 files", "downloading 20%", 0.25)));
    }

    [Test]
    public void From_VolumeFetchingWithoutTotals_ShowsWhatCameSoFarUnderItsSpecField()
    {
        var status = Snapshot(DeploymentState.Progressing, "0/1 replicas ready") with { Volumes = [Volume("fetching") with { BytesDone = 512, FilesDone = 2 }] };

        var fact = ProgressFacts.From(status, Target).Single(f => f.Key == "integrations[0]");

        Assert.That(fact, Is.EqualTo(new ProgressFact("integrations[0]", "downloading 512 B, 2 files", "downloading started")));
    }

    [Test]
    public void From_VolumeFailed_ShowsTheStateAndMessage()
    {
        var status = Snapshot(DeploymentState.Failed, "volume failed") with { Volumes = [Volume("failed") with { Message = "bucket not found" }] };

        var fact = ProgressFacts.From(status, Target).Single(f => f.Key == "integrations[0]");

        Assert.That(fact.Text, Is.EqualTo("failed: bucket not found"));
    }

    [Test]
    public void From_ReplicaOfTheFollowedHashCreatedWithNetRaw_IsTheOldOneBesideItsSuccessorAndSaysWhy()
    {
        // Before: both showed as "replica 0" (judged by hash only), so the drifted one's line and its successor's took
        // turns under one key while the final verdict waited for the drifted one to go.
        const string drift = "created with NET_RAW by an earlier version of the node";
        var drifted = Replica(0, "running", ready: true) with { Current = false, Drift = drift };
        var successor = Replica(0, "running", ready: false) with { ContainerId = "c0-new", Container = "gradient-hello-0-def456" };
        var status = Snapshot(DeploymentState.Progressing, "replacing 1 replica created with NET_RAW by an earlier version of the node", NewHash, 1, drifted, successor);

        var replicas = ProgressFacts.From(status, Target).Where(f => f.Key.StartsWith("replica", StringComparison.Ordinal)).ToList();

        Assert.That(replicas.Select(f => (f.Key, f.Text)), Is.EqualTo(new[]
        {
            ("replica 0 (old)", $"ready (old version): {drift}"),
            ("replica 0", "probing"),
        }));
    }

    [Test]
    public void From_RollbackBeforeTheDaemonPicksItUp_EachReplicaOfIndexZeroHasALineOfItsOwn()
    {
        // A rollback: the node still runs the stuck version (NewHash) beside the last good one (OldHash), and --wait follows
        // OldHash again. Before, both were "replica 0 (old)" until the daemon picked it up (Current is relative to the version
        // it still runs), so a plain view printed both lines again at every poll.
        var good = Replica(0, "running", ready: true, hash: OldHash);
        var stuck = Replica(0, "running", ready: false, message: "readiness probe: 404 Not Found") with { ContainerId = "c0-new", Container = "gradient-hello-0-def456" };
        var status = Snapshot(DeploymentState.Progressing, "1/1 replicas ready; replacing 1 old replica", NewHash, 1, good, stuck);

        var replicas = ProgressFacts.From(status, new RolloutTarget("hello", OldHash, 1)).Where(f => f.Key.StartsWith("replica", StringComparison.Ordinal)).ToList();

        Assert.That(replicas.Select(f => (f.Key, f.Text)), Is.EqualTo(new[]
        {
            ("replica 0 (old)", "probing (old version): readiness probe: 404 Not Found"),
            ("replica 0", "ready"),
        }));
    }

    [Test]
    public void From_TwoOldVersionsWithAReplicaOfOneIndex_EachLineNamesItsVersion()
    {
        var first = Replica(0, "running", ready: true, hash: "cccccccccccc");
        var second = Replica(0, "running", ready: false, hash: "dddddddddddd") with { ContainerId = "c0-other", Container = "gradient-hello-0-def456" };
        var status = Snapshot(DeploymentState.Progressing, "0/1 replicas ready", NewHash, 1, first, second);

        var keys = ProgressFacts.From(status, Target).Where(f => f.Key.StartsWith("replica", StringComparison.Ordinal)).Select(f => f.Key).ToList();

        Assert.That(keys, Is.EqualTo(new[] { "replica 0 (old ccccccc)", "replica 0 (old ddddddd)" }));
    }

    private static VolumeStatus Volume(string state) => new() { Field = "integrations[0]", Kind = "fetched", MountPath = "/opt/data", ReadOnly = true, State = state };
}
