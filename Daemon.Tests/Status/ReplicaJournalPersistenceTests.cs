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

        var after = new ReplicaJournal(_path, StateFileDamage.Unlogged);
        after.Record("web-0", "ready", "gradient-web-0-abc123", Start.AddHours(3)); // the first look after the restart

        Assert.That(after.History("web-0"), Is.EqualTo(new[] { new ReplicaEvent("ready", "gradient-web-0-abc123", Start.AddSeconds(2)) }));
    }

    [Test]
    public void Prune_InstanceGone_NotBroughtBackByARestart()
    {
        var before = new ReplicaJournal(_path, StateFileDamage.Unlogged);
        before.Record("web-0", "ready", "c0", Start);
        before.Record("web-1", "ready", "c1", Start);

        before.Prune("web", new HashSet<string> { "web-0" });

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
}
