using GradientNode.Core.Engine;
using GradientNode.Core.Workflows.Execution;
using GradientNode.Core.Workflows.Runs;

namespace GradientNode.Daemon.Api;

/// <summary>
/// <c>GET /v1/workflows/{name}/runs/{run}/logs?job=J&amp;follow=true</c>: the jobs' output as text, job by job in the
/// file's order, each line prefixed <c>[JOB] </c> when more than one job is shown. A finished job's log is the copy
/// kept in the run's folder; a running job's comes from its container. With follow, it waits for pending jobs and
/// streams running ones until the run ends.
/// </summary>
internal static class WorkflowLogsEndpoint
{
    public static void Map(IEndpointRouteBuilder api) => api.MapGet("/v1/workflows/{name}/runs/{run}/logs", StreamAsync);

    private static async Task StreamAsync(string name, string run, HttpContext context, WorkflowService workflows, ContainerJobExecutor containers, JobRunner jobRunner, TimeProvider time)
    {
        var cancellationToken = context.RequestAborted;
        var follow = context.Request.Query["follow"] is { Count: > 0 } f && (f[0] is "true" or "1" or "");
        var only = context.Request.Query["job"].FirstOrDefault();
        if (WorkflowEndpoints.Find(workflows, name, run) is not { } record)
        {
            await WriteErrorAsync(context, $"workflow '{name}' has no run {run}\n");
            return;
        }

        var jobs = record.Plan.Jobs.Where(j => only is null || j.Id == only).ToList();
        if (jobs.Count == 0)
        {
            await WriteErrorAsync(context, $"workflow '{name}' run {run} has no job '{only}' (its jobs: {string.Join(", ", record.Plan.Jobs.Select(j => j.Id))})\n");
            return;
        }

        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.StartAsync(cancellationToken);
        var prefix = jobs.Count > 1;
        try
        {
            foreach (var job in jobs)
            {
                var tag = prefix ? $"[{job.Id}] " : string.Empty;
                var phase = await WaitStartedAsync(workflows, record, job, follow, time, cancellationToken);
                var log = jobRunner.LogPath(record, job);
                if (phase == WorkflowPhase.Running && await containers.FindAsync(record.Status.Workflow, record.Status.Run, job.Id, cancellationToken) is { } container)
                {
                    try
                    {
                        await foreach (var line in containers.Engine.GetLogsAsync(container.Id, new LogOptions(Follow: follow), cancellationToken))
                        {
                            await context.Response.WriteAsync($"{tag}{line.Text}\n", cancellationToken);
                        }
                    }
                    catch (EngineException)
                    {
                        // The container ended and was removed while streaming: its kept log is complete; the lines above were shown.
                    }
                }
                else if (File.Exists(log))
                {
                    foreach (var line in await File.ReadAllLinesAsync(log, cancellationToken))
                    {
                        await context.Response.WriteAsync($"{tag}{line}\n", cancellationToken);
                    }
                }

                await context.Response.Body.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away.
        }
    }

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
