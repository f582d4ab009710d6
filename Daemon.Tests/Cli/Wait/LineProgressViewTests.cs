using GradientNode.Daemon.Cli.Wait;
using NUnit.Framework;

namespace GradientNode.Tests.Cli.Wait;

[TestFixture]
[Category("Unit")]
internal sealed class LineProgressViewTests
{
    [Test]
    public void Show_OldReplicaGoneWhenTheStateChanges_SaysItIsGoneBeforeTheNewStateLine()
    {
        // proxy19 (newuser15's finding): the old replica's removal printed nothing, so "replacing 1 old replica" came a
        // poll after "replica 1: ready" with no line that explained it, and read as the state of the poll before.
        var output = new StringWriter();
        var view = new LineProgressView(output, new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 21, 0, 0, TimeSpan.Zero)));
        view.Show([Fact("state", "Progressing: 2/2 replicas ready; replacing 2 old replicas"), Fact("replica 0 (old)", "draining (old version)"), Fact("replica 0", "ready"),
            Fact("replica 1 (old)", "ready (old version)"), Fact("replica 1", "ready"), Fact("deadline", "--wait gives up at 21:02:00Z")]);
        output.GetStringBuilder().Clear();

        view.Show([Fact("state", "Progressing: 2/2 replicas ready; replacing 1 old replica"), Fact("replica 0", "ready"),
            Fact("replica 1 (old)", "draining (old version)"), Fact("replica 1", "ready")]);

        Assert.That(output.ToString(), Is.EqualTo(
            "2026-12-07T21:00:00Z replica 0 (old): gone\n"
            + "2026-12-07T21:00:00Z state: Progressing: 2/2 replicas ready; replacing 1 old replica\n"
            + "2026-12-07T21:00:00Z replica 1 (old): draining (old version)\n"), "the deadline line, not a replica, is not said gone");
    }

    private static ProgressFact Fact(string key, string text) => new(key, text, text);
}
