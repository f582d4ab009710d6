using GradientNode.Core.Status;
using NUnit.Framework;

namespace GradientNode.Tests.Status;

[TestFixture]
[Category("Unit")]
internal sealed class ReplicaJournalTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void Update_SameStateAgain_ReplacesMessageAndKeepsTime()
    {
        var journal = new ReplicaJournal();
        journal.Record("hello-0", "pending", null, Start);

        journal.Update("hello-0", "pulling", "img 1.0 MB of 4.0 MB (0/1 layers)", Start.AddSeconds(1));
        journal.Update("hello-0", "pulling", "img 4.0 MB of 4.0 MB (1/1 layers)", Start.AddSeconds(9));

        Assert.That(journal.History("hello-0"), Is.EqualTo(new[]
        {
            new ReplicaEvent("pending", null, Start),
            new ReplicaEvent("pulling", "img 4.0 MB of 4.0 MB (1/1 layers)", Start.AddSeconds(1)),
        }));
    }

    [Test]
    public void Record_SameStateWithNewMessage_Appends()
    {
        var journal = new ReplicaJournal();

        journal.Record("hello-0", "notReady", "a", Start);
        journal.Record("hello-0", "notReady", "b", Start.AddSeconds(1));

        Assert.That(journal.History("hello-0"), Has.Count.EqualTo(2));
    }

    [Test]
    public void Prune_SlugThatPrefixesAnother_KeepsTheOtherDeploymentsHistory()
    {
        var journal = new ReplicaJournal();
        journal.Record("a-0", "running", null, Start);
        journal.Record("a-b-0", "running", null, Start);
        journal.Record("a-1-0", "running", null, Start);

        journal.Prune("a", new HashSet<string>(StringComparer.Ordinal));

        Assert.Multiple(() =>
        {
            Assert.That(journal.History("a-0"), Is.Empty, "a's own instance is pruned");
            Assert.That(journal.History("a-b-0"), Has.Count.EqualTo(1), "a-b is another deployment");
            Assert.That(journal.History("a-1-0"), Has.Count.EqualTo(1), "a-1 is another deployment");
        });
    }

    [TestCase("a-0", "a", true)]
    [TestCase("a-12", "a", true)]
    [TestCase("a-b-0", "a", false)]
    [TestCase("a-1-0", "a", false)]
    [TestCase("a-1-0", "a-1", true)]
    [TestCase("a-", "a", false)]
    [TestCase("ab-0", "a", false)]
    public void IsInstanceOf_Id_MatchesOnlyExactSlugAndNumericIndex(string id, string slug, bool expected)
    {
        Assert.That(ReplicaJournal.IsInstanceOf(id, slug), Is.EqualTo(expected));
    }
}
