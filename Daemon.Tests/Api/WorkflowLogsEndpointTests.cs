using GradientNode.Core.Engine;
using GradientNode.Core.Workflows.Runs;
using GradientNode.Daemon.Api;
using GradientNode.Tests.Reconciliation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace GradientNode.Tests.Api;

[TestFixture]
[Category("Unit")]
internal sealed class WorkflowLogsEndpointTests
{
    [Test]
    public void KeptLines_ProgressBarWithCarriageReturns_OneLineWithTheCarriageReturnsKept()
    {
        var lines = WorkflowLogsEndpoint.KeptLines("epoch 1\n10%\r20%\r30%\ndone\n");

        Assert.That(lines, Is.EqualTo(new[] { "epoch 1", "10%\r20%\r30%", "done" }));
    }

    [Test]
    public void KeptLines_LastLineWithoutNewline_Kept()
    {
        Assert.That(WorkflowLogsEndpoint.KeptLines("a\nb"), Is.EqualTo(new[] { "a", "b" }));
    }

    [Test]
    public void KeptLines_Empty_NoLines()
    {
        Assert.That(WorkflowLogsEndpoint.KeptLines(string.Empty), Is.Empty);
    }

    [Test]
    public void KeptLines_EmptyLinesInside_Kept()
    {
        Assert.That(WorkflowLogsEndpoint.KeptLines("a\n\nb\n"), Is.EqualTo(new[] { "a", string.Empty, "b" }));
    }

    [Test]
    public async Task Logs_TailOfEndedJobs_TheLastLinesOfEachJob()
    {
        // Before, the endpoint took no tail: the console downloaded a job's whole kept log (up to 8 MiB) to show its end.
        await using var host = await Host.StartAsync(new RecordingEngine());
        var run = WorkflowLogsTestHost.EndedRun(host.Store, "train", ("prepare", "p1\np2\np3\n"), ("fit", "f1\n10%\r20%\nf3"));

        var two = await host.Http.GetStringAsync($"v1/workflows/train/runs/{run}/logs?tail=2");
        var one = await host.Http.GetStringAsync($"v1/workflows/train/runs/{run}/logs?job=fit&tail=1");
        var none = await host.Http.GetStringAsync($"v1/workflows/train/runs/{run}/logs?job=fit&tail=0");
        var followed = await host.Http.GetStringAsync($"v1/workflows/train/runs/{run}/logs?job=prepare&tail=1&follow=true");

        Assert.Multiple(() =>
        {
            Assert.That(two, Is.EqualTo("[prepare] p2\n[prepare] p3\n[fit] 10%\r20%\n[fit] f3\n"), "the last 2 lines of each job, in the file's order");
            Assert.That(one, Is.EqualTo("f3\n"), "a last line without its newline is a line");
            Assert.That(none, Is.Empty);
            Assert.That(followed, Is.EqualTo("p3\n"), "an ended job followed: its tail, then the stream ends");
        });
    }

    [Test]
    public async Task Logs_JobPrintsTheValueOfASecretAnotherJobOfTheRunNames_ShownAsStars()
    {
        // Before, a job's log hid only its own references' values: b printed in the clear the token a handed it through a
        // string output, while workflows get showed that output as tok=***.
        await using var host = await Host.StartAsync(new RecordingEngine(), name => name == "token" ? "t0ken-value" : null);
        var plan = new RunPlan
        {
            Workflow = "train",
            Jobs =
            [
                new JobPlan { Id = "a", Action = "container@v1", Env = new Dictionary<string, string> { ["TOKEN"] = "secret:token" } },
                new JobPlan { Id = "b", Action = "container@v1", Needs = ["a"] },
            ],
        };
        var run = WorkflowLogsTestHost.Run(host.Store, plan, WorkflowPhase.Succeeded, ("a", "wrote it\n"), ("b", "tok=t0ken-value\n"));

        var text = await host.Http.GetStringAsync($"v1/workflows/train/runs/{run}/logs?job=b");

        Assert.That(text, Is.EqualTo("tok=***\n"));
    }

    [Test]
    public async Task Logs_TailOfARunningJob_TheEngineIsAskedForItsLastLines()
    {
        var engine = FiveLineEngine();
        await using var host = await Host.StartAsync(engine);
        var run = WorkflowLogsTestHost.Run(host.Store, "train", WorkflowPhase.Running, ("fit", null));
        engine.Containers.Add(WorkflowLogsTestHost.JobContainer("train", run, "fit"));

        using var cut = await host.Http.GetAsync($"v1/workflows/train/runs/{run}/logs?job=fit&tail=2");
        var text = await cut.Content.ReadAsStringAsync();
        using var whole = await host.Http.GetAsync($"v1/workflows/train/runs/{run}/logs?job=fit&tail=5");

        Assert.Multiple(() =>
        {
            Assert.That(text, Is.EqualTo("line 3\nline 4\n"));
            Assert.That(engine.LogReads.Select(o => o.Tail), Is.EqualTo(new int?[] { 3, 2, 6, 5 }), "the engine's tail (one line more to tell a cut), not the whole log read and cut here");
            Assert.That(cut.Headers.TryGetValues(WorkflowLogsEndpoint.TailCutHeader, out var said) ? said : null, Is.EqualTo(new[] { "true" }), "5 lines, 2 shown");
            Assert.That(whole.Headers.Contains(WorkflowLogsEndpoint.TailCutHeader), Is.False, "5 lines, all shown");
        });
    }

    [Test]
    public async Task Logs_TailWithTailSkipped_TheAnswerSaysHowManyLinesOfEachJobTheTailLeftOut()
    {
        await using var host = await Host.StartAsync(new RecordingEngine());
        var run = WorkflowLogsTestHost.EndedRun(host.Store, "train", ("prepare", "p1\np2\np3\n"), ("fit", "f1\n"));

        using var both = await host.Http.GetAsync($"v1/workflows/train/runs/{run}/logs?tail=1&tailSkipped=true&follow=true");
        using var one = await host.Http.GetAsync($"v1/workflows/train/runs/{run}/logs?job=fit&tail=0&tailSkipped=true");
        using var unasked = await host.Http.GetAsync($"v1/workflows/train/runs/{run}/logs?tail=1");

        Assert.Multiple(() =>
        {
            Assert.That(both.Headers.GetValues(WorkflowLogsEndpoint.TailSkippedHeader), Is.EqualTo(new[] { "prepare=2" }), "fit's one line is its tail");
            Assert.That(one.Headers.GetValues(WorkflowLogsEndpoint.TailSkippedHeader), Is.EqualTo(new[] { "fit=1" }));
            Assert.That(unasked.Headers.Contains(WorkflowLogsEndpoint.TailSkippedHeader), Is.False, "counted only when asked (it reads the whole log)");
        });
    }

    [Test]
    public async Task Logs_TailOfAnEndedJob_TheAnswerSaysWhetherTheLogHasMoreThanTheTail()
    {
        // Before, nothing said it: the console counted the lines that came, and a log that grew past its tail while the
        // page was open was offered "Load the whole log" though it was shown whole.
        await using var host = await Host.StartAsync(new RecordingEngine());
        var run = WorkflowLogsTestHost.EndedRun(host.Store, "train", ("prepare", "p1\np2\np3\n"), ("fit", "f1\n"));

        using var cut = await host.Http.GetAsync($"v1/workflows/train/runs/{run}/logs?job=prepare&tail=2&follow=true");
        using var whole = await host.Http.GetAsync($"v1/workflows/train/runs/{run}/logs?job=prepare&tail=3&follow=true");
        using var untailed = await host.Http.GetAsync($"v1/workflows/train/runs/{run}/logs?job=prepare");
        using var several = await host.Http.GetAsync($"v1/workflows/train/runs/{run}/logs?tail=1");

        Assert.Multiple(() =>
        {
            Assert.That(cut.Headers.TryGetValues(WorkflowLogsEndpoint.TailCutHeader, out var said) ? said : null, Is.EqualTo(new[] { "true" }));
            Assert.That(whole.Headers.Contains(WorkflowLogsEndpoint.TailCutHeader), Is.False);
            Assert.That(untailed.Headers.Contains(WorkflowLogsEndpoint.TailCutHeader), Is.False);
            Assert.That(several.Headers.Contains(WorkflowLogsEndpoint.TailCutHeader), Is.False, "said of one job only");
        });
    }

    [Test]
    public async Task Logs_FollowedWithATailJobNotStartedYet_ItsLinesFromItsFirstNotItsTail()
    {
        // Before (workflows17): the tail was cut when the job was found running, 300 ms later; it had printed 5 lines by then,
        // 3 left out that the tailSkipped header (asked while the job was PENDING) did not count, so `workflows logs -f --tail 2`
        // asked again after a daemon restart (from the log's start, skipping the lines counted) printed lines 3 and 4 twice.
        var engine = FiveLineEngine();
        await using var host = await Host.StartAsync(engine);
        var run = WorkflowLogsTestHost.Run(host.Store, "train", WorkflowPhase.Pending, ("fit", null));

        using var response = await host.Http.GetAsync($"v1/workflows/train/runs/{run}/logs?job=fit&tail=2&tailSkipped=true&follow=true", HttpCompletionOption.ResponseHeadersRead);
        engine.Containers.Add(WorkflowLogsTestHost.JobContainer("train", run, "fit"));
        var record = host.Store.Get("train", run)!;
        host.Store.Save(record with { Status = record.Status with { Phase = WorkflowPhase.Running, Jobs = new Dictionary<string, JobStatus> { ["fit"] = new() { Phase = WorkflowPhase.Running } } } });
        var text = await response.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(text, Is.EqualTo("line 0\nline 1\nline 2\nline 3\nline 4\n"), "the job had no lines when the follow began: none to leave out");
            Assert.That(engine.LogReads.Select(o => o.Tail), Is.EqualTo(new int?[] { null }), "its container's log read from its start");
        });
    }

    [Test]
    public async Task Logs_FollowedRunWithATailOverWhatTheNodeHolds_EachJobsStreamBeginsWithTheTailCutLine()
    {
        // JobLogPollTests showed the line from the poll alone; this is the stream the CLI reads (two jobs: polled, prefixed),
        // whose first line of a job `workflows logs -f --tail N` counts as the K lines it stands for.
        var mib = new string('m', 1 << 20);
        var engine = new RecordingEngine { TimedLog = [.. Enumerable.Range(0, 6).Select(i => new LogLine(LogStream.Stdout, $"{i}{mib}", DateTimeOffset.UnixEpoch.AddSeconds(i)))] };
        await using var host = await Host.StartAsync(engine);
        var run = WorkflowLogsTestHost.Run(host.Store, "train", WorkflowPhase.Running, ("a", null), ("b", null));
        engine.Containers.AddRange(new[] { "a", "b" }.Select(job => WorkflowLogsTestHost.JobContainer("train", run, job, running: false)));

        var text = await host.Http.GetStringAsync($"v1/workflows/train/runs/{run}/logs?tail=5&follow=true");
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Multiple(() =>
        {
            foreach (var job in new[] { "a", "b" })
            {
                var own = lines.Where(l => l.StartsWith($"[{job}] ", StringComparison.Ordinal)).Select(l => l[4..]).ToList();
                Assert.That(own.FirstOrDefault(), Is.EqualTo(JobLogPoll.TailCut(2, 5)), $"job {job}: 6 lines of 1 MiB, the last 5 asked, 3 fit in the 4 MiB held");
                Assert.That(own.Skip(1).Select(l => l[0]), Is.EqualTo(new[] { '3', '4', '5' }), $"job {job}: then the lines held");
                Assert.That(JobLogPoll.TryReadTailCut(own[0], out var cut) ? cut : 0, Is.EqualTo(2), "read back as the lines it stands for");
            }
        });
    }

    /// <summary>An engine whose every container logged <c>line 0</c> to <c>line 4</c>.</summary>
    private static RecordingEngine FiveLineEngine() =>
        new() { TimedLog = [.. Enumerable.Range(0, 5).Select(i => new LogLine(LogStream.Stdout, $"line {i}", DateTimeOffset.UnixEpoch))] };

    /// <summary>The endpoint in Kestrel on a unix socket, over the workflow services on <c>engine</c>.</summary>
    private sealed class Host : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly string _dir;

        private Host(WebApplication app, string dir, WorkflowRunStore store, HttpClient http)
        {
            _app = app;
            _dir = dir;
            Store = store;
            Http = http;
        }

        public WorkflowRunStore Store { get; }

        public HttpClient Http { get; }

        public static async Task<Host> StartAsync(RecordingEngine engine, Func<string, string?>? secrets = null)
        {
            var dir = Directory.CreateTempSubdirectory("gn-wf-logs-tail-").FullName;
            var socket = Path.Combine(dir, "api.sock");
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenUnixSocket(socket));
            var store = WorkflowLogsTestHost.AddWorkflows(builder.Services, dir, engine, secrets);
            builder.Services.AddSingleton(new LogFollowLimit(64));
            builder.Services.AddSingleton(TimeProvider.System);
            var app = builder.Build();
            WorkflowLogsEndpoint.Map(app);
            await app.StartAsync();
            return new Host(app, dir, store, WorkflowLogsTestHost.Client(socket));
        }

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await _app.StopAsync();
            await _app.DisposeAsync();
            Directory.Delete(_dir, recursive: true);
        }
    }
}
