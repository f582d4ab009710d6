using GradientNode.Daemon.Api;
using NUnit.Framework;

namespace GradientNode.Tests.Api;

[TestFixture]
[Category("Unit")]
internal sealed class RunNotFoundTests
{
    [Test]
    public void Message_WorkflowWithoutRunsCloseToOneWithRuns_SuggestsIt()
    {
        // Before: "workflow 'quik' has no run 2", as if quik had other runs.
        Assert.That(RunNotFound.Message("quik", "2", [], ["quick", "train"]), Is.EqualTo("no workflow 'quik' (it has no runs on this node); did you mean 'quick'?"));
    }

    [Test]
    public void Damaged_RunAskedForHasADamagedRecord_NamesTheFileAndTheProblem()
    {
        // Before: "no workflow 'long' (it has no runs on this node; …)" while its run's folder was there.
        GradientNode.Core.Workflows.Runs.DamagedRunRecord[] damaged = [new("long", 1, "/s/workflows/long/1/run.json", "no JSON tokens"), new("other", 1, "/x", "y")];

        Assert.Multiple(() =>
        {
            Assert.That(RunNotFound.Damaged("long", 1, damaged), Is.EqualTo("workflow 'long' run 1: its record /s/workflows/long/1/run.json is damaged (no JSON tokens); such a run is left out of every listing and not continued (restore the file, or delete the run's folder)"));
            Assert.That(RunNotFound.Damaged("long", null, damaged), Does.StartWith("workflow 'long' has no run with a readable record; damaged: run 1: /s/workflows/long/1/run.json (no JSON tokens); such a run"));
            Assert.That(RunNotFound.Damaged("long", 2, damaged), Is.Null);
            Assert.That(RunNotFound.Damaged("train", null, damaged), Is.Null);
        });
    }

    [Test]
    public void Message_WorkflowWithoutRunsNothingClose_SaysWhereToListThem()
    {
        Assert.That(RunNotFound.Message("zzz", "1", [], ["quick"]), Is.EqualTo("no workflow 'zzz' (it has no runs on this node; gradient-node workflows ls lists those that have)"));
    }

    [Test]
    public void Message_RunTheWorkflowLacks_ListsItsRunsNewestFirst()
    {
        Assert.That(RunNotFound.Message("quick", "9", [1, 3], ["quick"]), Is.EqualTo("workflow 'quick' has no run 9 (its runs, newest first: 3, 1; gradient-node workflows runs quick)"));
    }

    [Test]
    public void Message_ManyRuns_ListsTheNewestTen()
    {
        var message = RunNotFound.Message("w", "0", [.. Enumerable.Range(1, 30)], ["w"]);

        Assert.That(message, Is.EqualTo("workflow 'w' has no run 0 (its runs, newest first: 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, …; gradient-node workflows runs w)"));
    }
}
