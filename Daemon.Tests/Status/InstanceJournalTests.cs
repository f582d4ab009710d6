using GradientNode.Core.Status;
using NUnit.Framework;

namespace GradientNode.Tests.Status;

[TestFixture]
[Category("Unit")]
internal sealed class InstanceJournalTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void Update_SameStateAgain_ReplacesMessageAndKeepsTime()
    {
        var journal = new InstanceJournal();
        journal.Record("hello-0", "pending", null, Start);

        journal.Update("hello-0", "pulling", "img 1.0 MB of 4.0 MB (0/1 layers)", Start.AddSeconds(1));
        journal.Update("hello-0", "pulling", "img 4.0 MB of 4.0 MB (1/1 layers)", Start.AddSeconds(9));

        Assert.That(journal.History("hello-0"), Is.EqualTo(new[]
        {
            new InstanceEvent("pending", null, Start),
            new InstanceEvent("pulling", "img 4.0 MB of 4.0 MB (1/1 layers)", Start.AddSeconds(1)),
        }));
    }

    [Test]
    public void Record_SameStateWithNewMessage_Appends()
    {
        var journal = new InstanceJournal();

        journal.Record("hello-0", "notReady", "a", Start);
        journal.Record("hello-0", "notReady", "b", Start.AddSeconds(1));

        Assert.That(journal.History("hello-0"), Has.Count.EqualTo(2));
    }
}
