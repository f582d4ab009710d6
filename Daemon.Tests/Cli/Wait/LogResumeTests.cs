using GradientNode.Daemon.Api;
using GradientNode.Daemon.Cli.Wait;
using NUnit.Framework;

namespace GradientNode.Tests.Cli.Wait;

[TestFixture]
[Category("Unit")]
internal sealed class LogResumeTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 19, 30, 0, TimeSpan.Zero);

    [Test]
    public void Admit_ResumedStreamSendsTheLinesAtTheLastTimestampAgain_EachPrintedOnce()
    {
        var resume = new LogResume();
        string[] before = [Line(1, "a"), Line(2, "b"), Line(2, "c")];
        Assert.That(before.Select(resume.Admit), Is.All.True);

        resume.Cut();

        Assert.Multiple(() =>
        {
            Assert.That(resume.Since, Is.EqualTo(At(2)), "asked again from the last line printed, which Docker's since includes");
            Assert.That(resume.Admit(Line(2, "b")), Is.False);
            Assert.That(resume.Admit(Line(2, "c")), Is.False);
            Assert.That(resume.Admit(Line(2, "d")), Is.True, "logged at the same 100 ns as the last, after the cut");
            Assert.That(resume.Admit(Line(3, "e")), Is.True);
        });
    }

    [Test]
    public void Admit_TwoReplicasCutAtDifferentTimes_ResumesFromTheEarlierWithoutRepeatingTheOther()
    {
        var resume = new LogResume();
        resume.Admit(Line(1, "[0] a"));
        resume.Admit(Line(3, "[1] x"));
        resume.Admit(Line(5, "[0] b"));

        resume.Cut();

        Assert.Multiple(() =>
        {
            Assert.That(resume.Since, Is.EqualTo(At(3)));
            Assert.That(resume.Admit(Line(3, "[1] x")), Is.False);
            Assert.That(resume.Admit(Line(4, "[1] y")), Is.True, "in flight at the cut: logged, never passed on");
            Assert.That(resume.Admit(Line(4, "[0] old")), Is.False, "replica 0 had printed up to 5 already");
            Assert.That(resume.Admit(Line(5, "[0] b")), Is.False);
            Assert.That(resume.Admit(Line(6, "[0] c")), Is.True);
        });
    }

    [Test]
    public void Admit_OldAndNewContainerOfOneReplica_EachTagResumesOnItsOwn()
    {
        var resume = new LogResume();
        resume.Admit(Line(5, "[0] old"));
        resume.Admit(Line(3, "[0 b1c2d3] new"));
        resume.Cut();

        Assert.Multiple(() =>
        {
            Assert.That(resume.Since, Is.EqualTo(At(3)));
            Assert.That(resume.Admit(Line(4, "[0 b1c2d3] next")), Is.True, "the new container's own last line was at 3");
            Assert.That(resume.Admit(Line(4, "[0] older")), Is.False, "the old container had printed up to 5");
        });
    }

    [Test]
    public void Admit_SameTextTwiceAtOneTimestampBeforeAnyCut_BothPrinted()
    {
        var resume = new LogResume();

        Assert.That(new[] { Line(1, "same"), Line(1, "same") }.Select(resume.Admit), Is.All.True);
    }

    [Test]
    public void Admit_ReplicaThatPrintedNothingBeforeTheCut_AllItsLinesPrinted()
    {
        var resume = new LogResume();
        resume.Admit(Line(5, "[0] a"));
        resume.Cut();

        Assert.That(resume.Admit(Line(5, "[1] first")), Is.True);
    }

    [Test]
    public void Admit_LineWithoutTimestamp_PrintedAndItsTextKept()
    {
        var resume = new LogResume();
        const string note = "[1] (logs of web-1 ended: gone)";

        Assert.Multiple(() =>
        {
            Assert.That(resume.Admit(note), Is.True);
            Assert.That(resume.Any, Is.False, "no timestamp to resume from");
            Assert.That(LogResume.Strip(note), Is.EqualTo(note));
        });
    }

    [Test]
    public void Strip_TimestampedLine_LeavesTheTagAndText()
    {
        Assert.That(LogResume.Strip(Line(1, "[2] hello world")), Is.EqualTo("[2] hello world"));
    }

    [Test]
    public void Of_EngineTime_FixedWidthUtcTo100Ns()
    {
        var at = new DateTimeOffset(2026, 12, 5, 20, 30, 1, TimeSpan.FromHours(1)).AddTicks(1234567);

        Assert.Multiple(() =>
        {
            Assert.That(LogTimestamp.Of(at), Is.EqualTo("2026-12-05T19:30:01.1234567Z"));
            Assert.That(LogTimestamp.TryParse(LogTimestamp.Of(at) + " x", out var back) && back == at, Is.True);
        });
    }

    private static DateTimeOffset At(int second) => T0.AddSeconds(second);

    private static string Line(int second, string text) => $"{LogTimestamp.Of(At(second))} {text}";
}
