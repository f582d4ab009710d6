using GradientNode.Core.Workflows.Execution;
using GradientNode.Core.Workflows.Runs;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Execution;

[TestFixture]
[Category("Unit")]
internal sealed class DagSchedulerTests
{
    // a → b → d, a → c → d (fan-out, fan-in), e alone.
    private static readonly RunPlan Plan = new()
    {
        Workflow = "w",
        Jobs =
        [
            Job("a"),
            Job("b", "a"),
            Job("c", "a"),
            Job("d", "b", "c"),
            Job("e"),
        ],
    };

    [Test]
    public void Next_NothingRunYet_JobsWithoutNeedsReadyInFileOrder()
    {
        var step = DagScheduler.Next(Plan, Phases(), cancelRequested: false);

        Assert.That(step.Ready, Is.EqualTo(new[] { "a", "e" }));
        Assert.That(step.Ends, Is.Empty);
        Assert.That(step.RunPhase, Is.Null);
    }

    [Test]
    public void Next_NeedSucceeded_DependantsReady_FanInWaitsForAll()
    {
        var step = DagScheduler.Next(Plan, Phases(("a", WorkflowPhase.Succeeded), ("b", WorkflowPhase.Succeeded), ("c", WorkflowPhase.Running), ("e", WorkflowPhase.Running)), false);

        Assert.That(step.Ready, Is.Empty, "d needs c too");
    }

    [Test]
    public void Next_NeedFailed_DependantsSkippedTransitivelyWithWhy_RunningJobsUntouched()
    {
        var step = DagScheduler.Next(Plan, Phases(("a", WorkflowPhase.Succeeded), ("b", WorkflowPhase.Failed), ("e", WorkflowPhase.Running)), false);

        Assert.Multiple(() =>
        {
            Assert.That(step.Ready, Is.Empty, "no new job starts once one failed");
            Assert.That(step.Ends["d"], Is.EqualTo(new JobEnd(WorkflowPhase.Skipped, "it needs b, which ended FAILED")));
            Assert.That(step.Ends["c"], Is.EqualTo(new JobEnd(WorkflowPhase.Skipped, "the run failed (b ended FAILED) before this job could start")));
            Assert.That(step.Ends.ContainsKey("e"), Is.False, "a running job finishes");
            Assert.That(step.RunPhase, Is.Null, "e still runs");
        });
    }

    [Test]
    public void Next_LastRunningJobEndedAfterFailure_RunFailedNamingTheJob()
    {
        var jobs = Phases(("a", WorkflowPhase.Succeeded), ("b", WorkflowPhase.Failed), ("c", WorkflowPhase.Skipped), ("d", WorkflowPhase.Skipped), ("e", WorkflowPhase.Succeeded));
        jobs["b"] = jobs["b"] with { Message = "exited with code 3" };

        var step = DagScheduler.Next(Plan, jobs, false);

        Assert.That(step.RunPhase, Is.EqualTo(WorkflowPhase.Failed));
        Assert.That(step.RunMessage, Is.EqualTo("job b ended FAILED: exited with code 3"));
    }

    [Test]
    public void Next_AllSucceeded_RunSucceeded()
    {
        var step = DagScheduler.Next(Plan, Phases(Plan.Jobs.Select(j => (j.Id, WorkflowPhase.Succeeded)).ToArray()), false);

        Assert.That(step.RunPhase, Is.EqualTo(WorkflowPhase.Succeeded));
    }

    [Test]
    public void Next_CancelRequested_PendingJobsCanceled_RunCanceledOnceNothingRuns()
    {
        var running = DagScheduler.Next(Plan, Phases(("a", WorkflowPhase.Running)), cancelRequested: true);
        var done = DagScheduler.Next(Plan, Phases(("a", WorkflowPhase.Canceled)), cancelRequested: true);

        Assert.Multiple(() =>
        {
            Assert.That(running.Ready, Is.Empty);
            Assert.That(running.Ends.Keys, Is.EquivalentTo(new[] { "b", "c", "d", "e" }));
            Assert.That(running.Ends.Values.Select(e => e.Phase).Distinct(), Is.EqualTo(new[] { WorkflowPhase.Canceled }));
            Assert.That(running.RunPhase, Is.Null, "a still runs");
            Assert.That(done.RunPhase, Is.EqualTo(WorkflowPhase.Canceled));
        });
    }

    [Test]
    public void Next_ChainOfAThousandJobsWrittenBackwards_EachStepReadiesTheNextLinkUntilTheRunSucceeds()
    {
        // j0 needs j1, …, j998 needs j999: the order the file does not give. Before, each step's topological walk scanned
        // every job left and every need the whole plan (3.6 s a step at 1000 jobs on the 2-core box).
        const int count = 1000;
        var plan = new RunPlan { Workflow = "w", Jobs = [.. Enumerable.Range(0, count).Select(i => i + 1 < count ? Job($"j{i}", $"j{i + 1}") : Job($"j{i}"))] };
        var jobs = plan.Jobs.ToDictionary(j => j.Id, _ => new JobStatus());
        var started = new List<string>();

        var step = DagScheduler.Next(plan, jobs, false);
        while (step.RunPhase is null && step.Ready.Count == 1)
        {
            started.Add(step.Ready[0]);
            jobs[step.Ready[0]] = new JobStatus { Phase = WorkflowPhase.Succeeded };
            step = DagScheduler.Next(plan, jobs, false);
        }

        Assert.Multiple(() =>
        {
            Assert.That(started, Is.EqualTo(Enumerable.Range(0, count).Reverse().Select(i => $"j{i}")));
            Assert.That(step.RunPhase, Is.EqualTo(WorkflowPhase.Succeeded));
        });
    }

    [Test]
    public void Next_NeedsInACycle_TheFirstOfThemInFileOrderTakenAsIfItsNeedsWereMet()
    {
        // Validation refuses cycles; the scheduler still answers (as before: the first job left goes next).
        var plan = new RunPlan { Workflow = "w", Jobs = [Job("x", "z"), Job("y", "x"), Job("z", "y"), Job("w")] };

        var step = DagScheduler.Next(plan, plan.Jobs.ToDictionary(j => j.Id, _ => new JobStatus()), false);

        Assert.That(step.Ready, Is.EqualTo(new[] { "w" }), "x, y and z wait for one another; w does not wait for them");
    }

    private static JobPlan Job(string id, params string[] needs) => new() { Id = id, Action = "container@v1", Needs = needs };

    private static Dictionary<string, JobStatus> Phases(params (string Id, WorkflowPhase Phase)[] phases)
    {
        var jobs = Plan.Jobs.ToDictionary(j => j.Id, _ => new JobStatus());
        foreach (var (id, phase) in phases)
        {
            jobs[id] = new JobStatus { Phase = phase };
        }

        return jobs;
    }
}
