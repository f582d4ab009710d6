using System.Globalization;
using System.Text.Json;
using GradientNode.Core.Common;
using GradientNode.Core.Datasets;
using GradientNode.Core.Workflows.Execution;
using GradientNode.Core.Workflows.Runs;
using GradientNode.Core.Workflows.Specs;
using GradientNode.Daemon.Configuration;

namespace GradientNode.Daemon.Api;

/// <summary>
/// <c>/v1/workflows</c>: start a run (the body carries the file's text and the run's inputs; the daemon reads no
/// path a caller names), list workflows and runs, a run's status, cancel, delete an ended run. Logs: <see cref="WorkflowLogsEndpoint"/>.
/// </summary>
internal static class WorkflowEndpoints
{
    public const int MaxBodyBytes = 2 * 1024 * 1024;

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/v1/workflows", (WorkflowService workflows) =>
        {
            var store = workflows.Store;
            var list = store.Workflows()
                .Select(name => store.Runs(name))
                .Where(runs => runs.Count > 0)
                .Select(runs => (Count: runs.Count, Last: runs[^1].Status))
                .Select(w => new WorkflowSummary(w.Last.Workflow, w.Count, w.Last.Run, workflows.Get(w.Last.Workflow, w.Last.Run)?.Status.Phase ?? w.Last.Phase, w.Last.Created))
                .ToList();
            return JsonResults.Json(list, WorkflowRunsJsonContext.Default.ListWorkflowSummary);
        });

        api.MapGet("/v1/workflows/{name}/runs", (string name, WorkflowService workflows) =>
        {
            var runs = workflows.Store.Runs(name).Select(r => workflows.Shown(workflows.Get(name, r.Status.Run) ?? r)).ToList();
            return runs.Count == 0
                ? JsonResults.Error(StatusCodes.Status404NotFound, RunNotFound.Damaged(name, null, workflows.Store.Damaged()) ?? RunNotFound.NoWorkflow(name, workflows.Store.Workflows()))
                : JsonResults.Json(runs, WorkflowRunsJsonContext.Default.ListWorkflowRunStatus);
        });

        api.MapGet("/v1/workflows/{name}/runs/{run}", (string name, string run, WorkflowService workflows, DatasetStore datasets) =>
            Find(workflows, name, run) is { } record
                ? JsonResults.Json(RemovedVersions.Mark(workflows.Shown(record), id => RemovedVersions.Exists(datasets, id)), WorkflowRunsJsonContext.Default.WorkflowRunStatus)
                : NotFound(workflows, name, run));

        api.MapPost("/v1/workflows/{name}/runs/{run}/cancel", (string name, string run, WorkflowService workflows) =>
        {
            if (Find(workflows, name, run) is not { } record)
            {
                return NotFound(workflows, name, run);
            }

            if (record.Status.Phase.IsFinished())
            {
                return JsonResults.Error(StatusCodes.Status409Conflict, $"workflow '{name}' run {record.Status.Run} already ended {record.Status.Phase.Text()}; nothing to cancel");
            }

            workflows.Cancel(name, record.Status.Run);
            return JsonResults.Json(new Acknowledged($"{name} run {record.Status.Run}", "canceling"), ApiJsonContext.Default.Acknowledged, StatusCodes.Status202Accepted);
        });

        api.MapDelete("/v1/workflows/{name}/runs/{run}", async (string name, string run, WorkflowService workflows, CancellationToken cancellationToken) =>
        {
            if (Find(workflows, name, run) is not { } record)
            {
                return NotFound(workflows, name, run);
            }

            return await workflows.DeleteAsync(name, record.Status.Run, cancellationToken) switch
            {
                RunDeletion.Deleted => JsonResults.Json(new Acknowledged($"{name} run {record.Status.Run}", "deleted"), ApiJsonContext.Default.Acknowledged),
                RunDeletion.NotEnded => JsonResults.Error(StatusCodes.Status409Conflict, NotEnded(name, workflows.Get(name, record.Status.Run) ?? record)),
                _ => NotFound(workflows, name, run),
            };
        });

        // Every ended run at once; running ones are left and named (200 either way: the answer says which went).
        api.MapDelete("/v1/workflows/{name}/runs", async (string name, WorkflowService workflows, CancellationToken cancellationToken) =>
        {
            if (!WorkflowNameRule.IsValid(name) || workflows.Store.Runs(name).Count == 0)
            {
                return JsonResults.Error(StatusCodes.Status404NotFound, RunNotFound.NoWorkflow(name, workflows.Store.Workflows()));
            }

            var result = await workflows.DeleteEndedAsync(name, cancellationToken);
            var left = result.NotEnded.Select(r => new RunLeft(r.Status.Run, r.Status.Phase.Text(), NotEnded(name, r))).ToList();
            return JsonResults.Json(new RunsDeleted(name, result.Deleted, left), ApiJsonContext.Default.RunsDeleted);
        });

        api.MapPost("/v1/workflows/{name}/runs", async (string name, HttpRequest request, WorkflowService workflows, NodeOptions options, CancellationToken cancellationToken) =>
        {
            var (submission, refusal) = await WorkflowSubmission.ReadAsync(name, request, options, inputsOptional: false, cancellationToken);
            if (submission is null)
            {
                return refusal!;
            }

            // A dataset input that does not resolve (no such dataset, version or tag; a workflow input or a job's inline one) and a
            // secret the node lacks (any job's, defaults' included) are refused here, all at once, before the run is numbered; one
            // removed between this check and its use still ends the run or job ERROR with the same words. Each problem is
            // headed by where it was written (the inputs file, or the workflow file's with.ref, env or with field).
            var problems = await workflows.CheckRunAsync(submission.Plan, submission.InputPositions, submission.File, cancellationToken);
            if (!problems.IsEmpty)
            {
                return JsonResults.Error(StatusCodes.Status400BadRequest, problems.Heading(name), [.. problems.All]);
            }

            var record = await workflows.StartRunAsync(submission.Plan, submission.SpecText, submission.Inputs);
            var started = workflows.Shown(record);
            if (problems.Warnings.Count == 0)
            {
                return JsonResults.Json(started, WorkflowRunsJsonContext.Default.WorkflowRunStatus, StatusCodes.Status201Created);
            }

            // The run's status, and what may be a mistake (a dataset output named like an existing dataset in another case).
            var answer = JsonSerializer.SerializeToNode(started, WorkflowRunsJsonContext.Default.WorkflowRunStatus)!.AsObject();
            answer["warnings"] = new System.Text.Json.Nodes.JsonArray([.. problems.Warnings.Select(w => (System.Text.Json.Nodes.JsonNode?)w)]);
            return Results.Text(answer.ToJsonString(), "application/json", statusCode: StatusCodes.Status201Created);
        });

        // What a run of this file would be refused for and warned of now, without starting it (validate FILE asks it).
        api.MapPost("/v1/workflows/{name}/check", async (string name, HttpRequest request, WorkflowService workflows, NodeOptions options, CancellationToken cancellationToken) =>
        {
            var (submission, refusal) = await WorkflowSubmission.ReadAsync(name, request, options, inputsOptional: true, cancellationToken);
            if (submission is null)
            {
                return refusal!;
            }

            var problems = await workflows.CheckRunAsync(submission.Plan, submission.InputPositions, submission.File, cancellationToken);
            return JsonResults.Json(new WorkflowCheck(problems.All, problems.Warnings), ApiJsonContext.Default.WorkflowCheck);
        });

        WorkflowLogsEndpoint.Map(api);
    }

    /// <summary>The run <paramref name="run"/> names: its number, or <see cref="LatestRun"/> for the newest.</summary>
    public static RunRecord? Find(WorkflowService workflows, string name, string run) =>
        !WorkflowNameRule.IsValid(name) ? null
        : run == LatestRun ? (workflows.Store.Latest(name) is { } newest ? workflows.Get(name, newest) : null)
        : int.TryParse(run, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? workflows.Get(name, number)
        : null;

    /// <summary>What a run's place in a path may say instead of a number: the workflow's newest run (<c>workflows get NAME</c>).</summary>
    public const string LatestRun = "latest";

    /// <summary>Why a run cannot be deleted yet: it runs (cancel it first, with the command), or it is just ending.</summary>
    private static string NotEnded(string name, RunRecord record) => record.Status.Phase.IsFinished()
        ? $"workflow '{name}' run {record.Status.Run} is still ending (letting go of what it held); try again in a moment"
        : $"workflow '{name}' run {record.Status.Run} has not ended ({record.Status.Phase.Text()}); cancel it first with: gradient-node workflows cancel {name} {record.Status.Run}, then delete it once it has ended";

    public static IResult NotFound(WorkflowService workflows, string name, string run) =>
        JsonResults.Error(StatusCodes.Status404NotFound, NotFoundText(workflows, name, run));

    /// <summary>Why there is no such run, with the runs there are or the workflow meant (<see cref="RunNotFound"/>).</summary>
    public static string NotFoundText(WorkflowService workflows, string name, string run) =>
        (int.TryParse(run, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) ? RunNotFound.Damaged(name, number, workflows.Store.Damaged()) : null)
        ?? RunNotFound.Message(name, run, [.. workflows.Store.Runs(name).Select(r => r.Status.Run)], workflows.Store.Workflows());
}
