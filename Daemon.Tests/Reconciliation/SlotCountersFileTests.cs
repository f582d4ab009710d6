using GradientNode.Core.Common;
using GradientNode.Core.Reconciliation;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;
using static GradientNode.Tests.Reconciliation.ReconcilerTestData;

namespace GradientNode.Tests.Reconciliation;

/// <summary><see cref="SlotCounters"/> kept in <c>slot-counters.json</c>: a replica removed while the daemon is down is still a restart of its slot.</summary>
[TestFixture]
[Category("Unit")]
internal sealed class SlotCountersFileTests
{
    private const string Hash = "0123456789ab";
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 3, 0, 0, TimeSpan.Zero);
    private string _dir = null!;

    private string FilePath => Path.Combine(_dir, SlotCounters.FileName);

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("gn-slot-counters-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Carry_CountersOfAnEarlierDaemonAndItsReplicaGone_CreatedAsItsNextRestart()
    {
        var before = new SlotCounters(FilePath, StateFileDamage.Unlogged);
        var exited = Replica(1, Hash, ready: false, running: false) with
        {
            Restarts = 5, Crashes = 2, ExitCode = 3, StartedAt = Now.AddSeconds(-20), FinishedAt = Now.AddSeconds(-10),
        };
        before.Remember("web", Hash, [0, 1], [Replica(0, Hash) with { Restarts = 2, StartedAt = Now.AddMinutes(-1) }, exited]);
        before.Dispose(); // the daemon stops

        var after = new SlotCounters(FilePath, StateFileDamage.Unlogged);
        var plan = after.Carry("web", Hash, Plan(new CreateReplica(0), new CreateReplica(1)), [], Now);

        // Before: the counts lived in memory only, and a daemon started after a docker rm -f created both at 0.
        Assert.Multiple(() =>
        {
            Assert.That(plan.Creates, Is.EqualTo(new[] { new CreateReplica(0, Restarts: 3), new CreateReplica(1, Restarts: 6, Crashes: 3, LastExitCode: 3) }));
            Assert.That(after.Slugs, Is.EqualTo(new[] { "web" }));
            Assert.That(File.GetUnixFileMode(FilePath), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        });
    }

    [Test]
    public void Remember_SameCountsAgain_FileNotWrittenAgain()
    {
        var counters = new SlotCounters(FilePath, StateFileDamage.Unlogged);
        var seen = Replica(0, Hash) with { Restarts = 2, StartedAt = Now };
        counters.Remember("web", Hash, [0], [seen]);
        counters.Flush();
        File.SetLastWriteTimeUtc(FilePath, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));

        counters.Remember("web", Hash, [0], [seen with { Ready = false, NotReadyReason = "port 80 refuses connections" }]);
        counters.Flush();
        var unchanged = File.GetLastWriteTimeUtc(FilePath);
        counters.Remember("web", Hash, [0], [seen with { Restarts = 3 }]);
        counters.Flush();

        Assert.Multiple(() =>
        {
            Assert.That(unchanged, Is.EqualTo(new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc)), "readiness is no count: not written");
            Assert.That(File.GetLastWriteTimeUtc(FilePath), Is.GreaterThan(unchanged), "a count changed: written");
        });
    }

    [Test]
    public void Forget_DeploymentGone_NotInTheFileForTheNextDaemon()
    {
        var counters = new SlotCounters(FilePath, StateFileDamage.Unlogged);
        counters.Remember("web", Hash, [0], [Replica(0, Hash) with { Restarts = 2 }]);
        counters.Remember("api", Hash, [0], [Replica(0, Hash) with { Restarts = 4 }]);

        counters.Forget("web");
        counters.Flush();

        Assert.That(new SlotCounters(FilePath, StateFileDamage.Unlogged).Slugs, Is.EqualTo(new[] { "api" }));
    }

    [Test]
    public void Constructor_DamagedFile_KeptAsideOneWarningAndNoCounts()
    {
        File.WriteAllText(FilePath, "{\"web\": {\"0\": {\"hash\": ");
        var logger = new CollectingLogger<SlotCounters>();

        var counters = new SlotCounters(FilePath, new StateFileDamage(new FakeTimeProvider(Now), logger));
        var plan = counters.Carry("web", Hash, Plan(new CreateReplica(0)), [], Now);

        Assert.Multiple(() =>
        {
            Assert.That(plan.Creates.Single(), Is.EqualTo(new CreateReplica(0)));
            Assert.That(counters.Slugs, Is.Empty);
            Assert.That(File.Exists(FilePath + ".damaged-20261207T030000Z"), Is.True);
            Assert.That(logger.Events.Select(e => e.Id.Id), Is.EqualTo(new[] { 1402 }));
            Assert.That(logger.Events[0].Message, Does.Contain("replicas removed while the daemon was down start again at 0 restarts"));
        });
    }

    [Test]
    public void Constructor_FileLargerThanANodeWrites_KeptAsideUnread()
    {
        File.WriteAllBytes(FilePath, new byte[SlotCounters.MaxFileBytes + 1]);
        var logger = new CollectingLogger<SlotCounters>();

        var counters = new SlotCounters(FilePath, new StateFileDamage(new FakeTimeProvider(Now), logger));

        Assert.Multiple(() =>
        {
            Assert.That(counters.Slugs, Is.Empty);
            Assert.That(File.Exists(FilePath), Is.False);
            Assert.That(logger.Events.Select(e => e.Id.Id), Is.EqualTo(new[] { 1402 }));
        });
    }

    [Test]
    public void Constructor_ImplausibleEntries_Dropped()
    {
        File.WriteAllText(FilePath, """
            {"web": {"-1": {"hash": "0123456789ab", "restarts": 1, "crashes": 0, "running": true},
                     "0": {"hash": "0123456789ab", "restarts": -4, "crashes": 0, "running": true}},
             "api": {"2": {"hash": "0123456789ab", "restarts": 7, "crashes": 1, "running": true}}}
            """);

        var counters = new SlotCounters(FilePath, StateFileDamage.Unlogged);

        Assert.That(counters.Slugs, Is.EqualTo(new[] { "api" }));
    }

    [Test]
    public async Task Remember_ManyDeploymentsChangingWithinASecond_OneWriteASecondAfterTheFirstWithTheLastCounts()
    {
        // Before (faults15): each change rewrote and flushed the whole file on the reconcile worker, at once: a rollout or
        // 50 deployments scaling together wrote it at each pass of each deployment (here, 100 writes).
        var time = new FakeTimeProvider(Now);
        using var written = new SemaphoreSlim(0);
        var writes = new List<Dictionary<string, Dictionary<int, SlotCount>>>();
        using var counters = new SlotCounters(FilePath, StateFileDamage.Unlogged, (_, slots) =>
        {
            lock (writes)
            {
                writes.Add(slots);
            }

            written.Release();
        }, time);

        for (var i = 0; i < 100; i++)
        {
            counters.Remember($"web{i % 50}", Hash, [0], [Replica(0, Hash) with { Restarts = i / 50, StartedAt = Now }]);
            time.Advance(TimeSpan.FromMilliseconds(5));
        }

        var early = await written.WaitAsync(TimeSpan.FromMilliseconds(200));
        time.Advance(SlotCounters.WriteInterval);
        var due = await written.WaitAsync(TestTimeouts.Short);
        counters.Flush(); // nothing left to write

        Assert.Multiple(() =>
        {
            Assert.That(early, Is.False, "nothing written before a second has passed");
            Assert.That(due, Is.True);
            Assert.That(writes, Has.Count.EqualTo(1), "the burst is one write");
            Assert.That(writes[0].Values.Select(s => s[0].Restarts).Distinct(), Is.EqualTo(new[] { 1 }), "with every slot's last counts");
        });
    }

    [Test]
    public void Remember_FileOnDiskBeforeTheIntervalEnds_NotYetReplacedAndWrittenAtTheStop()
    {
        var time = new FakeTimeProvider(Now);
        var counters = new SlotCounters(FilePath, StateFileDamage.Unlogged, time);
        counters.Remember("web", Hash, [0], [Replica(0, Hash) with { Restarts = 2, StartedAt = Now }]);
        var writtenAtOnce = File.Exists(FilePath);

        counters.Dispose(); // the fake clock never moves: only the stop writes it

        Assert.Multiple(() =>
        {
            Assert.That(writtenAtOnce, Is.False, "before (faults15): written on the reconcile worker at each change");
            Assert.That(new SlotCounters(FilePath, StateFileDamage.Unlogged).Slugs, Is.EqualTo(new[] { "web" }));
        });
    }

    [Test]
    public void Remember_FileCannotBeWritten_ToldOnceInTheNodesWarningsAndClearedOnceWritten()
    {
        var blocker = Path.Combine(_dir, "state");
        File.WriteAllText(blocker, "a file where the state directory should be"); // root writes anywhere: a write that fails regardless
        var path = Path.Combine(blocker, SlotCounters.FileName);
        var logs = new CollectingLogger<StateWriteProblems>();
        var writes = new StateWriteProblems(logs);
        var counters = new SlotCounters(path, new StateFileDamage(TimeProvider.System, logs) { Writes = writes });

        counters.Remember("web", Hash, [0], [Replica(0, Hash) with { Restarts = 1, StartedAt = Now }]);
        counters.Flush();
        counters.Remember("web", Hash, [0], [Replica(0, Hash) with { Restarts = 2, StartedAt = Now }]);
        counters.Flush();
        var whileFailing = writes.Warnings;
        File.Delete(blocker);
        Directory.CreateDirectory(blocker);
        counters.Remember("web", Hash, [0], [Replica(0, Hash) with { Restarts = 3, StartedAt = Now }]);
        counters.Flush();

        Assert.Multiple(() =>
        {
            Assert.That(whileFailing, Has.Count.EqualTo(1));
            Assert.That(whileFailing[0], Does.StartWith($"state file {path} cannot be written (").And.Contains("restart counts are kept in memory"));
            Assert.That(logs.Events.Where(e => e.Id.Id == 1405).Select(e => e.Message), Has.Exactly(1).Items, "told once, not at each try");
            Assert.That(writes.Warnings, Is.Empty, "written again");
            Assert.That(logs.Events.Count(e => e.Id.Id == 1406), Is.EqualTo(1));
            Assert.That(File.Exists(path), Is.True);
        });
    }
}
