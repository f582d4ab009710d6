using System.Globalization;
using GradientNode.Core.Engine;
using GradientNode.Core.Workflows.Execution;
using GradientNode.Core.Workflows.Runs;
using GradientNode.Daemon.Security;

namespace GradientNode.Daemon.Api;

/// <summary>
/// <c>GET /v1/workflows/{name}/runs/{run}/logs?job=J&amp;follow=true&amp;tail=N</c>: the jobs' output as text, each line prefixed
/// <c>[JOB] </c> when more than one job is shown; with <c>tail</c>, the last N lines of each job shown (a kept log is read
/// from its end, <see cref="KeptLogTail"/>), then, with follow, the lines that come. A malformed <c>tail</c> is a 400
/// (<see cref="TailQuery"/>), as the deployment logs endpoint answers one (before, both ignored it; the CLI refuses one). A finished job's log is the copy kept in the run's folder; a running
/// job's comes from its container. Without follow, job by job in the file's order; with follow, every job at once,
/// lines interleaved as they come, waiting for pending jobs, until every job shown has ended (or the run did).
/// </summary>
internal static class WorkflowLogsEndpoint
{
    /// <summary>
    /// The answer's header, <c>true</c>, when one job is shown with <c>tail=N</c> and its log had more than N lines when
    /// asked: the lines shown are not its whole log. The console offers "Load the whole log" exactly then (before, it
    /// counted N lines come, so a job whose log grew past N while the page was open offered it over a log shown whole).
    /// </summary>
    public const string TailCutHeader = "X-Log-Tail-Cut";

    /// <summary>
    /// With <c>tail=N&amp;tailSkipped=true</c>, the answer's header naming, for each job shown whose log had more than N lines,
    /// how many lines before them the tail left out: <c>prepare=120,fit=3</c>. A follow asked again after a daemon restart
    /// (<c>workflows logs -f --tail N</c>) then asks without a tail and skips those and the lines it printed: nothing twice,
    /// nothing lost (before, it printed each job's last N lines again).
    /// </summary>
    public const string TailSkippedHeader = "X-Log-Tail-Skipped";

    public static void Map(IEndpointRouteBuilder api) => api.MapGet("/v1/workflows/{name}/runs/{run}/logs", StreamAsync);

    private static Task StreamAsync(string name, string run, HttpContext context, WorkflowService workflows, ContainerJobExecutor containers, JobRunner jobRunner, LogFollowLimit followLimit, TimeProvider time) =>
        StreamingAnswer.RunAsync(context, token => AnswerAsync(name, run, context, workflows, containers, jobRunner, followLimit, time, token));

    private static async Task AnswerAsync(string name, string run, HttpContext context, WorkflowService workflows, ContainerJobExecutor containers, JobRunner jobRunner, LogFollowLimit followLimit, TimeProvider time, CancellationToken cancellationToken)
    {
        var follow = QueryFlag.IsSet(context.Request.Query, "follow");
        var only = context.Request.Query["job"].FirstOrDefault();
        if (!TailQuery.TryRead(context.Request.Query, out var tail, out var malformed))
        {
            await TailQuery.RefuseAsync(context, malformed, cancellationToken);
            return;
        }

        if (WorkflowEndpoints.Find(workflows, name, run) is not { } record)
        {
            await WriteErrorAsync(context, WorkflowEndpoints.NotFoundText(workflows, name, run) + "\n");
            return;
        }

        var jobs = record.Plan.Jobs.Where(j => only is null || j.Id == only).ToList();
        if (jobs.Count == 0)
        {
            await WriteErrorAsync(context, $"workflow '{name}' run {run} has no job '{only}' (its jobs: {string.Join(", ", record.Plan.Jobs.Select(j => j.Id))})\n");
            return;
        }

        // Followed, the stream holds one of the node's --max-log-follows places while a job shown has not ended, however
        // many jobs it shows (before, one per job not ended: a run of more than 64 could be followed only with --job).
        // One job is followed through the engine (its container's log, once it runs, takes one of the engine's inotify
        // instances); several are polled (JobLogPoll), which takes none. Ended jobs are read from their kept logs.
        var live = follow && !record.Status.Phase.IsFinished()
            && jobs.Any(j => !(record.Status.Jobs.TryGetValue(j.Id, out var s) && s.Phase.IsFinished()))
            ? 1
            : 0;
        if (followLimit.TryTake(ApiCaller.Uid(context), live, out var refusal) is not { } leases)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(refusal + "\n", cancellationToken);
            return;
        }

        using var places = new LeaseSet(leases);
        if (tail is { } n && jobs.Count == 1 && await HasMoreThanAsync(containers, jobRunner, record, jobs[0], n, cancellationToken))
        {
            context.Response.Headers[TailCutHeader] = "true";
        }

        if (tail is { } skip && QueryFlag.IsSet(context.Request.Query, "tailSkipped"))
        {
            var skipped = new List<string>();
            foreach (var job in jobs)
            {
                var lines = await CountLinesAsync(containers, jobRunner, record, job, cancellationToken);
                if (lines > skip)
                {
                    skipped.Add(string.Create(CultureInfo.InvariantCulture, $"{job.Id}={lines - skip}"));
                }
            }

            context.Response.Headers[TailSkippedHeader] = string.Join(',', skipped);
        }

        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.StartAsync(cancellationToken);
        // The headers go now, not with the first line: a follow of a quiet log is answered (200, or 503 past the limit) at once.
        await context.Response.Body.FlushAsync(cancellationToken);
        var prefix = jobs.Count > 1;
        try
        {
            if (!follow)
            {
                foreach (var job in jobs)
                {
                    await StreamJobAsync(workflows, containers, jobRunner, record, job, prefix, follow: false, tail, time, line => new ValueTask(context.Response.WriteAsync(line, cancellationToken)), cancellationToken);
                }

                await context.Response.Body.FlushAsync(cancellationToken);
                return;
            }

            // Following: every job streams at once, lines interleaved as they come, at most LogFunnel.Capacity waiting
            // for the client (before, an unbounded channel: a client that stopped reading grew the daemon's memory).
            // Several jobs are polled, and share one list of the run's containers a second (RunContainerWatch).
            var watch = prefix ? new RunContainerWatch(token => containers.ListRunAsync(record.Status.Workflow, record.Status.Run, token), time, cancellationToken) : null;
            await LogFunnel.RunAsync(
                jobs.Select(job => (Func<Func<string, ValueTask>, Task>)(emit => StreamJobAsync(workflows, containers, jobRunner, record, job, prefix, follow: true, tail, time, emit, cancellationToken, watch))).ToList(),
                line => context.Response.WriteAsync(line, cancellationToken),
                () => context.Response.Body.FlushAsync(cancellationToken),
                cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away, or the daemon is stopping: then the client is told its stream was cut.
            StreamingAnswer.Cut(context);
        }
    }

    /// <summary>
    /// One job's lines through <paramref name="emit"/>: from its container while it runs (following it when asked), else
    /// from the log kept in the run's folder. A container removed mid-stream leaves the rest to the kept log. With
    /// <paramref name="tail"/>, its last lines: the rest of a container's tail then comes from the kept log's same tail.
    /// </summary>
    private static async Task StreamJobAsync(WorkflowService workflows, ContainerJobExecutor containers, JobRunner jobRunner, RunRecord record, JobPlan job, bool prefix, bool follow, int? tail, TimeProvider time, Func<string, ValueTask> emit, CancellationToken cancellationToken, RunContainerWatch? watch = null)
    {
        Func<CancellationToken, Task<ContainerSummary?>> find = watch is null
            ? token => containers.FindAsync(record.Status.Workflow, record.Status.Run, job.Id, token)
            : token => watch.FindAsync(job.Id, token);
        var tag = prefix ? $"[{job.Id}] " : string.Empty;
        if (follow && !StartedIn(record, job))
        {
            // Not started when asked: no lines to leave out (tailSkipped counted none), so followed from its first line. Before, cut
            // when found running (300 ms polls): lines no header counted, printed twice by `logs -f --tail N` after a restart.
            tail = null;
        }

        var phase = await WaitStartedAsync(workflows, record, job, follow, time, cancellationToken);
        var log = jobRunner.LogPath(record, job);
        var mask = jobRunner.MaskOfLog(record.Plan, job);
        var shown = 0;
        if (phase == WorkflowPhase.Running && await find(cancellationToken) is { } container)
        {
            try
            {
                async ValueTask Show(string text)
                {
                    await emit($"{tag}{mask.Apply(text)}\n");
                    shown++;
                }

                // Polled, it returns false when the container was removed before its last lines were read: they are in its kept log.
                if (follow && watch is not null
                    ? await JobLogPoll.RunAsync(containers.Engine, container.Id, find, Show, time, cancellationToken, tail)
                    : await ReadAsync(containers.Engine, container.Id, new LogOptions(tail, follow), Show, cancellationToken))
                {
                    return;
                }
            }
            catch (EngineException)
            {
                // The container ended and was removed while streaming: the rest is in its kept log (written before the removal).
            }
        }

        if (File.Exists(log))
        {
            // With a tail, the file is read from its end: 100 lines of an 8 MiB log read those lines' bytes, not 8 MiB.
            IEnumerable<string> kept = tail is { } last
                ? await KeptLogTail.ReadAsync(log, last, cancellationToken)
                : KeptLines(await File.ReadAllTextAsync(log, cancellationToken));
            foreach (var line in kept.Skip(shown))
            {
                await emit($"{tag}{mask.Apply(line)}\n");
            }
        }
    }

    /// <summary>
    /// A kept log's lines: each ends at <c>\n</c> only (as <see cref="JobLogKeeper"/> wrote them), so a progress bar's
    /// <c>\r</c> stays in its line as it did from the container. <see cref="File.ReadAllLinesAsync(string, CancellationToken)"/>
    /// also ended a line at a lone <c>\r</c>: the bar's steps came out as lines, and the count of lines already shown from
    /// the container no longer matched, so lines were shown twice when the container went mid-stream.
    /// </summary>
    internal static IEnumerable<string> KeptLines(string text)
    {
        if (text.Length == 0)
        {
            return [];
        }

        var lines = text.Split('\n');
        return text.EndsWith('\n') ? lines[..^1] : lines;
    }

    /// <summary>
    /// Whether <paramref name="job"/>'s log has more than <paramref name="lines"/> lines now: N + 1 lines of its running
    /// container's log, else of its kept log, read from the end (one short read, not the log).
    /// </summary>
    private static async Task<bool> HasMoreThanAsync(ContainerJobExecutor containers, JobRunner jobRunner, RunRecord record, JobPlan job, int lines, CancellationToken cancellationToken)
    {
        try
        {
            if (record.Status.Jobs.TryGetValue(job.Id, out var status) && status.Phase == WorkflowPhase.Running
                && await containers.FindAsync(record.Status.Workflow, record.Status.Run, job.Id, cancellationToken) is { } container)
            {
                var count = 0;
                await foreach (var _ in containers.Engine.GetLogsAsync(container.Id, new LogOptions(lines + 1, false), cancellationToken))
                {
                    count++;
                }

                return count > lines;
            }
        }
        catch (EngineException)
        {
            // Gone meanwhile: its kept log says.
        }

        var log = jobRunner.LogPath(record, job);
        return File.Exists(log) && (await KeptLogTail.ReadAsync(log, lines + 1, cancellationToken)).Count > lines;
    }

    /// <summary>How many lines <paramref name="job"/>'s log has now: its running container's, else its kept log's (as a stream without a tail shows them).</summary>
    private static async Task<int> CountLinesAsync(ContainerJobExecutor containers, JobRunner jobRunner, RunRecord record, JobPlan job, CancellationToken cancellationToken)
    {
        try
        {
            if (record.Status.Jobs.TryGetValue(job.Id, out var status) && status.Phase == WorkflowPhase.Running
                && await containers.FindAsync(record.Status.Workflow, record.Status.Run, job.Id, cancellationToken) is { } container)
            {
                var count = 0;
                await foreach (var _ in containers.Engine.GetLogsAsync(container.Id, new LogOptions(null, false), cancellationToken))
                {
                    count++;
                }

                return count;
            }
        }
        catch (EngineException)
        {
            // Gone meanwhile: its kept log says.
        }

        var log = jobRunner.LogPath(record, job);
        return File.Exists(log) ? KeptLines(await File.ReadAllTextAsync(log, cancellationToken)).Count() : 0;
    }

    private static async Task<bool> ReadAsync(IContainerEngine engine, string id, LogOptions options, Func<string, ValueTask> show, CancellationToken cancellationToken)
    {
        await foreach (var line in engine.GetLogsAsync(id, options, cancellationToken))
        {
            await show(line.Text);
        }

        return true;
    }

    /// <summary>Whether <paramref name="job"/> had started (RUNNING or ended) in <paramref name="record"/>, the run as the answer's headers counted it.</summary>
    private static bool StartedIn(RunRecord record, JobPlan job) =>
        record.Status.Jobs.TryGetValue(job.Id, out var status) && status.Phase != WorkflowPhase.Pending;

    private static async Task<WorkflowPhase> WaitStartedAsync(WorkflowService workflows, RunRecord record, JobPlan job, bool follow, TimeProvider time, CancellationToken cancellationToken)
    {
        while (true)
        {
            var now = workflows.Get(record.Status.Workflow, record.Status.Run) ?? record;
            var phase = now.Status.Jobs.TryGetValue(job.Id, out var status) ? status.Phase : WorkflowPhase.Pending;
            if (!follow || phase != WorkflowPhase.Pending || now.Status.Phase.IsFinished())
            {
                return phase;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(300), time, cancellationToken);
        }
    }

    private static async Task WriteErrorAsync(HttpContext context, string message)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        await context.Response.WriteAsync(message, context.RequestAborted);
    }
}
