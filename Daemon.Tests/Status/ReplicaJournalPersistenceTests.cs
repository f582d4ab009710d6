using GradientNode.Core.Common;
using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace GradientNode.Tests.Status;

/// <summary><see cref="ReplicaJournal"/> with its file: each instance's last entry survives a daemon restart.</summary>
[TestFixture]
[Category("Unit")]
internal sealed class ReplicaJournalPersistenceTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private string _dir = null!;
    private string _path = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("gn-journal-").FullName;
        _path = Path.Combine(_dir, ReplicaJournal.FileName);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Record_SameStateSeenAgainAfterARestart_NoNewEntryAndTheTimeOfTheChangeKept()
    {
        var before = new ReplicaJournal(_path, StateFileDamage.Unlogged);
        before.Record("web-0", "pending", null, Start);
        before.Record("web-0", "ready", "gradient-web-0-abc123", Start.AddSeconds(2));
        before.Flush();

        var after = new ReplicaJournal(_path, StateFileDamage.Unlogged);
        after.Record("web-0", "ready", "gradient-web-0-abc123", Start.AddHours(3)); // the first look after the restart

        Assert.That(after.History("web-0"), Is.EqualTo(new[] { new ReplicaEvent("ready", "gradient-web-0-abc123", Start.AddSeconds(2)) }));
    }

    [Test]
    public void Record_FailureThenRunningAgainAcrossARestart_TheLastFailureKeptBeforeTheLastEntry()
    {
        var before = new ReplicaJournal(_path, StateFileDamage.Unlogged);
        before.Record("web-0", "failed", "c1: killed: out of memory (exit code 137)", Start);
        before.Record("web-0", "pending", "restart 1", Start.AddSeconds(1));
        before.Record("web-0", "ready", "c2", Start.AddSeconds(2));
        before.Record("web-1", "failed", "c3: exited with code 1", Start);
        before.Flush();

        var after = new ReplicaJournal(_path, StateFileDamage.Unlogged);

        Assert.Multiple(() =>
        {
            Assert.That(after.History("web-0"), Is.EqualTo(new[]
            {
                new ReplicaEvent("failed", "c1: killed: out of memory (exit code 137)", Start),
                new ReplicaEvent("ready", "c2", Start.AddSeconds(2)),
            }));
            Assert.That(after.History("web-1"), Is.EqualTo(new[] { new ReplicaEvent("failed", "c3: exited with code 1", Start) }), "a failure that is the last entry: once");
        });
    }

    [Test]
    public void New_FileOfTheDaemonBefore_ReadAsItWas()
    {
        File.WriteAllText(_path, "{\"web-0\": {\"state\": \"ready\", \"message\": \"c2\", \"timestamp\": \"2026-01-01T12:00:00+00:00\"}}");

        var journal = new ReplicaJournal(_path, StateFileDamage.Unlogged);

        Assert.That(journal.History("web-0"), Is.EqualTo(new[] { new ReplicaEvent("ready", "c2", Start) }));
    }

    [Test]
    public void Prune_InstanceGone_NotBroughtBackByARestart()
    {
        var before = new ReplicaJournal(_path, StateFileDamage.Unlogged);
        before.Record("web-0", "ready", "c0", Start);
        before.Record("web-1", "ready", "c1", Start);

        before.Prune("web", new HashSet<string> { "web-0" });
        before.Flush();

        var after = new ReplicaJournal(_path, StateFileDamage.Unlogged);
        Assert.That(after.History("web-1"), Is.Empty);
        Assert.That(after.History("web-0"), Has.Count.EqualTo(1));
    }

    [Test]
    public void New_FileDamaged_KeptAsideWithAWarningAndStartsEmpty()
    {
        File.WriteAllText(_path, "{\"web-0\": {\"state\": \"rea");
        var logger = new CollectingLogger<ReplicaJournal>();

        var journal = new ReplicaJournal(_path, new StateFileDamage(new FakeTimeProvider(Start), logger));

        Assert.Multiple(() =>
        {
            Assert.That(journal.History("web-0"), Is.Empty);
            Assert.That(File.Exists(_path + ".damaged-20260101T120000Z"), Is.True);
            Assert.That(logger.Events.Single().Message, Does.EndWith("the replicas' last changes of state are not known: CHANGED and each replica's history start again from what the node sees now"));
        });
    }

    [Test]
    public async Task Record_ChangesWhileAWriteRuns_ReturnAtOnceAndAreWrittenTogetherByOneMoreWrite()
    {
        using var held = new ManualResetEventSlim();
        using var entered = new SemaphoreSlim(0);
        var writes = new List<Dictionary<string, SavedReplicaState>>();
        var journal = new ReplicaJournal(_path, StateFileDamage.Unlogged, (_, last) =>
        {
            lock (writes)
            {
                writes.Add(last);
            }

            entered.Release();
            held.Wait(TestTimeouts.Short);
        });
        journal.Record("web-0", "pending", null, Start);
        Assert.That(await entered.WaitAsync(TestTimeouts.Short), Is.True, "the first write started");

        // A reconcile pass records many replicas at once: none of them waits for the file.
        var recording = Task.Run(() =>
        {
            for (var i = 0; i < 10; i++)
            {
                journal.Record($"web-{i}", "ready", $"c{i}", Start.AddSeconds(1));
            }
        });
        await recording.WaitAsync(TestTimeouts.Short);
        held.Set();
        journal.Flush();

        Assert.Multiple(() =>
        {
            Assert.That(writes, Has.Count.EqualTo(2), "the ten changes made during the first write are written by one more");
            Assert.That(writes[^1].Keys.Order(StringComparer.Ordinal), Is.EqualTo(Enumerable.Range(0, 10).Select(i => $"web-{i}").Order(StringComparer.Ordinal)));
            Assert.That(writes[^1].Values.Select(e => e.State).Distinct(), Is.EqualTo(new[] { "ready" }));
        });
    }

    [Test]
    public async Task Record_BurstOfChangesWithinASecond_OneWriteASecondAfterTheFirstWithTheLastStates()
    {
        // Before: each change was written (flushed to disk) as soon as the write before it ended: 50 deployments whose
        // readiness flapped once a second wrote the file about 43 times a second.
        var time = new FakeTimeProvider(Start);
        using var written = new SemaphoreSlim(0);
        var writes = new List<Dictionary<string, SavedReplicaState>>();
        var journal = new ReplicaJournal(_path, StateFileDamage.Unlogged, (_, last) =>
        {
            lock (writes)
            {
                writes.Add(last);
            }

            written.Release();
        }, time);

        for (var i = 0; i < 100; i++)
        {
            journal.Record($"web{i % 50}-0", i < 50 ? "notReady" : "ready", $"c{i % 50}", Start);
            time.Advance(TimeSpan.FromMilliseconds(5));
        }

        var early = await written.WaitAsync(TimeSpan.FromMilliseconds(200));
        time.Advance(ReplicaJournal.WriteInterval);
        var due = await written.WaitAsync(TestTimeouts.Short);
        journal.Flush(); // nothing left to write

        Assert.Multiple(() =>
        {
            Assert.That(early, Is.False, "nothing written before a second has passed");
            Assert.That(due, Is.True);
            Assert.That(writes, Has.Count.EqualTo(1), "the burst is one write");
            Assert.That(writes[0].Values.Select(e => e.State).Distinct(), Is.EqualTo(new[] { "ready" }), "with every instance's last state");
        });
    }

    [Test]
    public void Dispose_ChangeMadeJustBefore_WrittenAtTheStopWithoutWaitingTheInterval()
    {
        var time = new FakeTimeProvider(Start);
        var writes = new List<Dictionary<string, SavedReplicaState>>();
        var journal = new ReplicaJournal(_path, StateFileDamage.Unlogged, (_, last) =>
        {
            lock (writes)
            {
                writes.Add(last);
            }
        }, time);
        journal.Record("web-0", "notReady", "c1", Start);
        journal.Record("web-0", "ready", "c1", Start);

        journal.Dispose(); // the fake clock never moves: only the stop writes it

        Assert.That(writes.Select(w => w["web-0"].State), Is.EqualTo(new[] { "ready" }));
    }

    [Test]
    public void Flush_AfterChanges_FileHoldsEachInstancesLastEntryWithNoTempFileLeft()
    {
        var journal = new ReplicaJournal(_path, StateFileDamage.Unlogged);
        for (var i = 0; i < 50; i++)
        {
            journal.Record($"web-{i % 5}", i % 2 == 0 ? "ready" : "starting", null, Start.AddSeconds(i));
        }

        journal.Flush();

        var after = new ReplicaJournal(_path, StateFileDamage.Unlogged);
        Assert.Multiple(() =>
        {
            Assert.That(after.History("web-4"), Is.EqualTo(new[] { new ReplicaEvent("starting", null, Start.AddSeconds(49)) }));
            Assert.That(after.History("web-0"), Is.EqualTo(new[] { new ReplicaEvent("starting", null, Start.AddSeconds(45)) }));
            Assert.That(Directory.GetFiles(_dir).Select(Path.GetFileName), Is.EqualTo(new[] { ReplicaJournal.FileName }));
        });
    }

    [Test]
    public void Record_StateDirectoryReadOnly_ToldOnceInTheNodesWarningsAndClearedOnceWritten()
    {
        var readOnly = true;
        var logs = new CollectingLogger<StateWriteProblems>();
        var writes = new StateWriteProblems(logs);
        var journal = new ReplicaJournal(_path, new StateFileDamage(TimeProvider.System, logs) { Writes = writes }, (_, _) =>
        {
            if (readOnly)
            {
                throw new IOException($"Read-only file system : '{_dir}/.replica-states.json.1.tmp'", 30);
            }
        });

        journal.Record("web-0", "starting", "c1", Start);
        journal.Flush();
        journal.Record("web-0", "ready", "c1", Start.AddSeconds(1));
        journal.Flush();
        var whileReadOnly = writes.Warnings;
        readOnly = false;
        journal.Record("web-0", "stopping", "c1", Start.AddSeconds(2));
        journal.Flush();

        Assert.Multiple(() =>
        {
            Assert.That(whileReadOnly, Is.EqualTo(new[] { $"state file {_path} cannot be written (Read-only file system, EROFS); each replica's last change of state is kept in memory: after a restart of the daemon, CHANGED and the replicas' histories would start again from what it sees; written again at the next change once it can be" }));
            Assert.That(logs.Events.Count(e => e.Id.Id == 1405), Is.EqualTo(1), "told once, not at each change");
            Assert.That(writes.Warnings, Is.Empty);
            Assert.That(logs.Events.Count(e => e.Id.Id == 1406), Is.EqualTo(1));
        });
    }
}
