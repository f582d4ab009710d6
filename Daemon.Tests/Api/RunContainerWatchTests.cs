using GradientNode.Core.Engine;
using GradientNode.Daemon.Api;
using GradientNode.Tests.Infrastructure;
using GradientNode.Tests.Reconciliation;
using NUnit.Framework;

namespace GradientNode.Tests.Api;

/// <summary>A followed run's polled jobs share one list of the run's containers a second, counted through the engine port's fake.</summary>
[TestFixture]
[Category("Unit")]
internal sealed class RunContainerWatchTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 8, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task FindAsync_ThreeJobsInOneInterval_OneListForAllThenOneMoreAfterTheInterval()
    {
        var engine = Engine(("a", "running"), ("b", "running"), ("c", "running"));
        var clock = new FakeTimeProvider(Start);
        var watch = new RunContainerWatch(token => engine.ListContainersAsync([], token), clock, CancellationToken.None);

        var first = await Task.WhenAll(new[] { "a", "b", "c" }.Select(job => watch.FindAsync(job, CancellationToken.None)));
        var listsAtFirst = engine.Lists;
        clock.Advance(JobLogPoll.Interval);
        var second = await Task.WhenAll(new[] { "a", "b", "c" }.Select(job => watch.FindAsync(job, CancellationToken.None)));

        Assert.Multiple(() =>
        {
            Assert.That(first.Select(c => c!.Id), Is.EqualTo(new[] { "id-a", "id-b", "id-c" }));
            Assert.That(second.Select(c => c!.Id), Is.EqualTo(new[] { "id-a", "id-b", "id-c" }));
            Assert.That(listsAtFirst, Is.EqualTo(1), "one list for the three jobs");
            Assert.That(engine.Lists, Is.EqualTo(2), "one more an interval later");
        });
    }

    [Test]
    public async Task FindAsync_JobNotInTheSharedList_OneFreshListAnswersSoANewContainerIsFoundAndAGoneOneIsNull()
    {
        var engine = Engine(("a", "running"));
        var clock = new FakeTimeProvider(Start);
        var watch = new RunContainerWatch(token => engine.ListContainersAsync([], token), clock, CancellationToken.None);
        _ = await watch.FindAsync("a", CancellationToken.None);
        lock (engine.Containers)
        {
            engine.Containers.Add(Container("late", "running"));
        }

        var late = await watch.FindAsync("late", CancellationToken.None);
        var listsAfterLate = engine.Lists;
        clock.Advance(JobLogPoll.Interval);
        var gone = await watch.FindAsync("gone", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(late?.Id, Is.EqualTo("id-late"), "a container newer than the shared list is found");
            Assert.That(listsAfterLate, Is.EqualTo(2), "the shared list, then one fresh list for the job it lacked");
            Assert.That(gone, Is.Null);
            Assert.That(engine.Lists, Is.EqualTo(3), "a list started for the question is not asked again");
        });
    }

    [Test]
    public async Task JobLogPollRunAsync_ThreeRunningJobsOfARun_OneListPerIntervalNotOnePerJob()
    {
        var engine = Engine(("a", "running"), ("b", "running"), ("c", "running"));
        var clock = new TimerCountingTimeProvider(new FakeTimeProvider(Start));
        var watch = new RunContainerWatch(token => engine.ListContainersAsync([], token), clock, CancellationToken.None);

        var polls = new[] { "a", "b", "c" }
            .Select(job => JobLogPoll.RunAsync(engine, $"id-{job}", token => watch.FindAsync(job, token), _ => ValueTask.CompletedTask, clock, CancellationToken.None))
            .ToList();
        await TestTimeouts.WaitUntilAsync(() => clock.ActiveTimers == 3, "each job's first pass, parked on its next wait");
        var listsAtFirst = engine.Lists;
        lock (engine.Containers)
        {
            for (var i = 0; i < engine.Containers.Count; i++)
            {
                engine.Containers[i] = engine.Containers[i] with { State = engine.Containers[i].State with { Status = "exited", Running = false } };
            }
        }

        clock.Fake.Advance(JobLogPoll.Interval);
        var ended = await Task.WhenAll(polls);

        Assert.Multiple(() =>
        {
            Assert.That(ended, Is.All.True);
            Assert.That(listsAtFirst, Is.EqualTo(1), "one list for the three jobs' first pass (was three)");
            Assert.That(engine.Lists, Is.EqualTo(2), "and one for their second (was six in all)");
        });
    }

    private static RecordingEngine Engine(params (string Job, string State)[] jobs)
    {
        var engine = new RecordingEngine();
        engine.Containers.AddRange(jobs.Select(j => Container(j.Job, j.State)));
        return engine;
    }

    private static ContainerDetails Container(string job, string state) => new(
        $"id-{job}",
        $"gn-wf-w-1-{job}",
        "gradient-test/web:1",
        new Dictionary<string, string> { [ContainerLabels.Workflow] = "w", [ContainerLabels.Run] = "1", [ContainerLabels.Job] = job },
        new ContainerState(state, state == "running", false, false, 0, null, Start, null),
        null,
        Start,
        0);
}
