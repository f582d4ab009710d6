using GradientNode.Core.Common;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Common;

[TestFixture]
[Category("Unit")]
internal sealed class ProblemLogTests
{
    [Test]
    public void Report_SameKeyInOtherWords_LoggedOnceAndTheWordsKeptAreTheLast()
    {
        var problems = new ProblemLog(new SteppingTimeProvider());

        var first = problems.Report("full (a.tmp)", "ENOSPC");
        var again = problems.Report("full (b.tmp)", "ENOSPC");

        Assert.That((first, again, problems.Current), Is.EqualTo((true, false, "full (b.tmp)")));
    }

    [Test]
    public void Report_ProblemChangesAndBack_EachChangeLogged()
    {
        var problems = new ProblemLog(new SteppingTimeProvider());

        var logged = new[] { "full", "full", "read-only", "full" }.Select(p => problems.Report(p)).ToList();

        Assert.That(logged, Is.EqualTo(new[] { true, false, true, true }));
    }

    [Test]
    public void Clear_AfterAProblem_TrueOnceThenFalseAndTheSameProblemIsLoggedAgain()
    {
        var problems = new ProblemLog(new SteppingTimeProvider());
        problems.Report("full");

        var gone = problems.Clear();
        var goneAgain = problems.Clear();
        var back = problems.Report("full");

        Assert.That((gone, goneAgain, back), Is.EqualTo((true, false, true)));
    }

    [Test]
    public void Report_WithoutAgain_NeverLoggedAgainWhileItLasts()
    {
        var time = new SteppingTimeProvider();
        var problems = new ProblemLog(time);
        problems.Report("full");

        time.Advance(TimeSpan.FromDays(1));

        Assert.That(problems.Report("full"), Is.False);
    }

    [Test]
    public void Report_WithAgainAndManyRemembered_EachProblemOnItsOwnClock()
    {
        var time = new SteppingTimeProvider();
        var problems = new ProblemLog(time, TimeSpan.FromMinutes(1), remembered: 4);

        var a = problems.Report("a");
        var b = problems.Report("b");
        var aAgain = problems.Report("a");
        time.Advance(TimeSpan.FromMinutes(1));
        var aLater = problems.Report("a");
        var bLater = problems.Report("b");
        var bSoon = problems.Report("b");

        Assert.That((a, b, aAgain, aLater, bLater, bSoon), Is.EqualTo((true, true, false, true, true, false)));
    }

    [Test]
    public void Report_MoreDistinctProblemsThanRemembered_TheOldestAreForgotten()
    {
        var time = new SteppingTimeProvider();
        var problems = new ProblemLog(time, TimeSpan.FromMinutes(1), remembered: 4);
        foreach (var name in new[] { "a", "b", "c", "d", "e" })
        {
            problems.Report(name);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.That((problems.Report("a"), problems.Report("e")), Is.EqualTo((true, false)));
    }
}
