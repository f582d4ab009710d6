using System.Collections.Concurrent;
using GradientNode.Core.Workflows.Runs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GradientNode.Core.Workflows.Execution;

/// <summary>
/// The node's workflow runs: starts a run (numbered, with its own copy of the spec and inputs), cancels one, and on
/// start continues every run the last daemon left unfinished (adopting job containers by label). A run's failure
/// never stops the service or another run. Stopping the daemon leaves job containers running for the next start.
/// </summary>
public sealed partial class WorkflowService(
    WorkflowRunStore store,
    JobRunner jobs,
    JobMounts mounts,
    JobSlots slots,
    TimeProvider time,
    ILoggerFactory loggers) : BackgroundService
{
    private readonly ConcurrentDictionary<(string Workflow, int Run), WorkflowRunner> _active = new();
    private readonly ILogger _logger = loggers.CreateLogger<WorkflowService>();
    private readonly TaskCompletionSource<CancellationToken> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public WorkflowRunStore Store => store;

    public JobSlots Slots => slots;

    /// <summary>Creates the next run of the plan's workflow and starts it in the background.</summary>
    public async Task<RunRecord> StartRunAsync(RunPlan plan, string specText, string? inputsText)
    {
        var stopping = await _started.Task.ConfigureAwait(false);
        var record = store.Create(plan, specText, inputsText, time.GetUtcNow());
        Launch(record, stopping);
        return record;
    }

    /// <summary>The run as it is now; null when there is no such run.</summary>
    public RunRecord? Get(string workflow, int run) =>
        _active.TryGetValue((workflow, run), out var runner) ? runner.Record : store.Get(workflow, run);

    /// <summary>The run's status as the API shows it: jobs and outputs in the file's order (<see cref="RunOutputOrder"/>), the values of its secrets hidden (<see cref="RunStatusMask"/>).</summary>
    public WorkflowRunStatus Shown(RunRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return RunStatusMask.Apply(RunOutputOrder.Apply(record.Plan, record.Status), jobs.MaskOf(record.Plan));
    }

    /// <summary>False when there is no such run; a finished run is left as it is.</summary>
    public bool Cancel(string workflow, int run)
    {
        if (_active.TryGetValue((workflow, run), out var runner))
        {
            runner.Cancel();
            return true;
        }

        return store.Get(workflow, run) is not null;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        store.SecureRoot();
        foreach (var record in store.Unfinished())
        {
            LogContinuing(record.Status.Workflow, record.Status.Run);
            Launch(record, stoppingToken);
        }

        _started.TrySetResult(stoppingToken);
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, time, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the runs' loops see the same token and leave their containers running.
        }
    }

    private void Launch(RunRecord record, CancellationToken stopping)
    {
        var key = (record.Status.Workflow, record.Status.Run);
        var runner = new WorkflowRunner(record, jobs, mounts, store, slots, time, _logger);
        if (!_active.TryAdd(key, runner))
        {
            return;
        }

        _ = Task.Run(
            async () =>
            {
                var ended = false;
                try
                {
                    await runner.RunAsync(stopping).ConfigureAwait(false);
                    ended = true;
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    // Continued by the next start, which holds its dataset versions again from its record.
                }
                catch (Exception ex)
                {
                    LogRunCrashed(ex, key.Workflow, key.Run);
                    var now = runner.Record;
                    store.Save(now with { Status = now.Status with { Phase = WorkflowPhase.Error, Finished = time.GetUtcNow(), Message = $"the node failed while running it: {ex.Message}" } });
                    ended = true;
                }
                finally
                {
                    if (ended)
                    {
                        // Every end (succeeded, failed, canceled, timed out, crashed) lets go of the versions the run held.
                        await ReleaseAsync(runner.Record).ConfigureAwait(false);
                    }

                    _active.TryRemove(key, out _);
                }
            },
            CancellationToken.None);
    }

    private async Task ReleaseAsync(RunRecord record)
    {
        try
        {
            await mounts.ReleaseAsync(record, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or WorkflowDatasetException)
        {
            LogReleaseFailed(ex, record.Status.Workflow, record.Status.Run);
        }
    }

    [LoggerMessage(EventId = 5160, Level = LogLevel.Information, Message = "workflow {Workflow} run {Run}: continuing after a restart")]
    private partial void LogContinuing(string workflow, int run);

    [LoggerMessage(EventId = 5161, Level = LogLevel.Error, Message = "workflow {Workflow} run {Run}: the run's loop failed; the run is marked ERROR")]
    private partial void LogRunCrashed(Exception exception, string workflow, int run);

    [LoggerMessage(EventId = 5162, Level = LogLevel.Warning, Message = "workflow {Workflow} run {Run}: letting go of its dataset versions failed; they stay held until the daemon restarts")]
    private partial void LogReleaseFailed(Exception exception, string workflow, int run);
}
