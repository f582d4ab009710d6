using GradientNode.Core.Status;
using NUnit.Framework;

namespace GradientNode.Tests.Status;

[TestFixture]
[Category("Unit")]
internal sealed class RestartCountdownTests
{
    private static readonly DateTimeOffset Built = new(2026, 12, 6, 14, 31, 4, TimeSpan.Zero);

    [Test]
    public void Text_BeforeAndAfterTheRestart_WholeSecondsRoundedUpThenRestarting()
    {
        Assert.Multiple(() =>
        {
            Assert.That(RestartCountdown.Text(Built.AddSeconds(39.2), Built), Is.EqualTo("; restarting in 40s"));
            Assert.That(RestartCountdown.Text(Built, Built), Is.EqualTo("; restarting"));
            Assert.That(RestartCountdown.Text(Built, Built.AddSeconds(3)), Is.EqualTo("; restarting"));
        });
    }

    [Test]
    public void AsOf_EightSecondsAfterTheStatusWasBuilt_CountsEightSecondsLess()
    {
        // newuser5's F12: `ls` every 4 s showed "restarting in 40s" four times, then "25s".
        var status = Status("name also declared in /specs/b.yaml, which is ignored; 0/1 ready: replica 0 exited with code 3; restarting in 40s", Built.AddSeconds(40));

        var read = RestartCountdown.AsOf(status, Built.AddSeconds(8));

        Assert.Multiple(() =>
        {
            Assert.That(read.Message, Is.EqualTo("name also declared in /specs/b.yaml, which is ignored; 0/1 ready: replica 0 exited with code 3; restarting in 32s"));
            Assert.That(read.RestartAt, Is.EqualTo(Built.AddSeconds(40)));
            Assert.That(read.ObservedAt, Is.EqualTo(Built), "still when the node looked");
        });
    }

    [Test]
    public void AsOf_PastTheRestart_SaysRestarting()
    {
        var status = Status("0/1 ready: replica 0 exited with code 3; restarting in 10s", Built.AddSeconds(10));

        Assert.That(RestartCountdown.AsOf(status, Built.AddSeconds(12)).Message, Is.EqualTo("0/1 ready: replica 0 exited with code 3; restarting"));
    }

    [Test]
    public void AsOf_NoRestartAtOrAMessageWithoutTheCountdown_Unchanged()
    {
        var plain = Status("1/1 replicas ready", null);
        var other = Status("0/1 ready: image not found", Built.AddSeconds(10));

        Assert.Multiple(() =>
        {
            Assert.That(RestartCountdown.AsOf(plain, Built.AddSeconds(5)), Is.SameAs(plain));
            Assert.That(RestartCountdown.AsOf(other, Built.AddSeconds(5)), Is.SameAs(other));
        });
    }

    [Test]
    public void AsOf_AClockBeforeTheBuild_NeverCountsUp()
    {
        var status = Status("0/1 ready: replica 0 exited with code 3; restarting in 10s", Built.AddSeconds(10));

        Assert.That(RestartCountdown.AsOf(status, Built.AddSeconds(-30)), Is.SameAs(status));
    }

    private static DeploymentStatus Status(string message, DateTimeOffset? restartAt) => new()
    {
        Name = "crashy",
        Slug = "crashy",
        State = DeploymentState.Degraded,
        Message = message,
        RestartAt = restartAt,
        ObservedAt = Built,
    };
}
