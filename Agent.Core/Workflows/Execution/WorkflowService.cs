using System.Collections.Concurrent;
using GradientNode.Core.Specs;
using GradientNode.Core.Workflows.Runs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GradientNode.Core.Workflows.Execution;

/// <summary>
/// The node's workflow runs: starts a run (numbered, with its own copy of the spec and inputs), cancels one, deletes an
/// ended one, and on start continues every run the last daemon left unfinished (adopting job containers by label). A
/// run's failure never stops the service or another run. Stopping the daemon leaves job containers running for the next
/// start. Retention (<paramref name="runsKept"/>, <c>workflowRunsKept</c>; 0 keeps all) deletes a workflow's oldest ended
/// runs beyond that many when one of its runs ends, and for every workflow once at start.
/// </summary>
public sealed partial class WorkflowService(
    WorkflowRunStore store,
    JobRunner jobs,
    JobMounts mounts,
    JobSlots slots,
    TimeProvider time,
    ILoggerFactory loggers,
    int runsKept = RunRetention.DefaultKept) : BackgroundService
{
    private readonly ConcurrentDictionary<(string Workflow, int Run), WorkflowRunner> _active = new();
    private readonly ILogger _logger = loggers.CreateLogger<WorkflowService>();
    private readonly TaskCompletionSource<CancellationToken> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<Task, byte> _running = new();

    public WorkflowRunStore Store => store;

    public JobSlots Slots => slots;

    /// <summary>
    /// Why the plan cannot run now, checked before <see cref="StartRunAsync"/> so that such a run is refused rather than
    /// numbered and ended ERROR when the job that needs it starts: a workflow input that does not resolve
    /// (<see cref="JobMounts.CheckRunInputsAsync"/>, each line headed by where <paramref name="positions"/> says its reference
    /// was written), a job's inline dataset input that does not resolve (<see cref="JobMounts.CheckJobInputsAsync"/>), and a
    /// secret the node lacks (<see cref="JobSecrets.Missing"/>), and a <c>container-registries</c> name with no stored connection
    /// (<see cref="JobImages.Missing"/>), the last three headed by where <paramref name="file"/> has them. Empty when it can
    /// run. A secret, version or connection removed after this check still ends its job (or the run) ERROR.
    /// </summary>
    public async Task<RunProblems> CheckRunAsync(RunPlan plan, IReadOnlyDictionary<string, SpecPosition>? positions, Specs.WorkflowPositions? file, CancellationToken cancellationToken)
    {
        var inputs = (await mounts.CheckRunInputsAsync(plan, positions, cancellationToken).ConfigureAwait(false))
            .Concat(await mounts.CheckJobInputsAsync(plan, file is null ? null : file.Value, cancellationToken).ConfigureAwait(false))
            .ToList();
        var at = file is null ? null : (Func<string, SpecPosition?>)file.Value;
        return new RunProblems(inputs, jobs.MissingSecrets(plan, at), jobs.MissingRegistries(plan, at)) { TooLong = jobs.TooLongToStart(plan, at), Warnings = mounts.OutputCaseWarnings(plan, at) };
    }

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

    /// <summary>
    /// Deletes an ended run: its containers left behind (none, normally), its folder (record, copies, kept logs) and its
    /// dataset holds (its own only: a version another run holds stays held). The dataset versions its jobs committed stay
    /// in the dataset store. Its number is never given again. A run that has not ended is <see cref="RunDeletion.NotEnded"/>.
    /// </summary>
    public async Task<RunDeletion> DeleteAsync(string workflow, int run, CancellationToken cancellationToken)
    {
        // A run is launched only when created (a new number) or at start (unfinished): an ended, inactive run stays so.
        if (_active.ContainsKey((workflow, run)))
        {
            return RunDeletion.NotEnded;
        }

        if (store.Get(workflow, run) is not { } record)
        {
            return RunDeletion.NotFound;
        }

        if (!record.Status.Phase.IsFinished())
        {
            return RunDeletion.NotEnded;
        }

        try
        {
            await jobs.RemoveRunContainersAsync(workflow, run, cancellationToken).ConfigureAwait(false);
        }
        catch (Engine.EngineException ex)
        {
            LogContainersLeft(ex, workflow, run);
        }

        await ReleaseAsync(record).ConfigureAwait(false);
        if (!store.Delete(workflow, run))
        {
            return RunDeletion.NotFound;
        }

        LogDeleted(workflow, run);
        return RunDeletion.Deleted;
    }

    /// <summary>
    /// Deletes every ended run of <paramref name="workflow"/>, oldest first, each as <see cref="DeleteAsync"/> deletes
    /// one (the same checks, holds let go, number never given again); runs that have not ended are left and returned.
    /// </summary>
    public async Task<RunsDeletion> DeleteEndedAsync(string workflow, CancellationToken cancellationToken)
    {
        var deleted = new List<int>();
        var left = new List<RunRecord>();
        foreach (var record in store.Runs(workflow).OrderBy(r => r.Status.Run))
        {
            var run = record.Status.Run;
            switch (await DeleteAsync(workflow, run, cancellationToken).ConfigureAwait(false))
            {
                case RunDeletion.Deleted:
                    deleted.Add(run);
                    break;
                case RunDeletion.NotEnded:
                    left.Add(Get(workflow, run) ?? record);
                    break;
            }
        }

        return new RunsDeletion(deleted, left);
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
        await CleanUpAtStartAsync(stoppingToken).ConfigureAwait(false);
        foreach (var damaged in store.Damaged())
        {
            LogRunRecordDamaged(damaged.Workflow, damaged.Run, damaged.Path, damaged.Problem);
        }

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
        var runner = new WorkflowRunner(record, jobs, mounts, store, slots, time, _logger) { Finishing = EndAsync };
        if (!_active.TryAdd(key, runner))
        {
            return;
        }

        var task = Task.Run(
            async () =>
            {
                var (ended, crashed) = (false, false);
                try
                {
                    // Its end is saved by the runner once EndAsync has let go of what the run held.
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
                    var failed = now with { Status = now.Status with { Phase = WorkflowPhase.Error, Finished = time.GetUtcNow(), Message = $"the node failed while running it: {ex.Message}" } };
                    store.Save(failed);
                    (ended, crashed) = (true, true);
                }
                finally
                {
                    try
                    {
                        if (crashed && store.Get(key.Workflow, key.Run) is { } failed)
                        {
                            // A crashed run lets go of what it held too, as every other end does (in EndAsync).
                            store.Save(await EndAsync(failed).ConfigureAwait(false));
                        }
                    }
                    finally
                    {
                        _active.TryRemove(key, out _);
                    }

                    if (ended)
                    {
                        await PruneAsync(key.Workflow, stopping).ConfigureAwait(false);
                        await RemoveStaleContainersAsync(stopping).ConfigureAwait(false);
                    }
                }
            },
            CancellationToken.None);
        _running.TryAdd(task, 0);
        _ = task.ContinueWith(done => _running.TryRemove(done, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>
    /// Stops, then waits (within the host's stop timeout) for every run's loop to let go: they see the stopping token and
    /// return, leaving their containers running, but a run that ended just then is still saving its end and pruning.
    /// Nothing writes a run's record once this returns.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        foreach (var running in _running.Keys)
        {
            try
            {
                await running.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return; // the host's stop timeout: the next start continues what is unfinished
            }
            catch (OperationCanceledException)
            {
                // a run's loop or its pruning stopped by the stopping token, as meant
            }
        }
    }

    /// <summary>
    /// Once at start: deletions a crash cut short, datasets of ended runs that the last daemon stopped before removing,
    /// every workflow's runs beyond <c>runsKept</c>, and job containers left behind by ended or deleted runs.
    /// </summary>
    private async Task CleanUpAtStartAsync(CancellationToken cancellationToken)
    {
        try
        {
            store.SweepDeleted();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogSweepFailed(ex);
        }

        foreach (var workflow in store.Workflows())
        {
            try
            {
                foreach (var ended in store.Runs(workflow).Where(r => r.Status.Phase.IsFinished()))
                {
                    if (await RemoveUnusedDatasetsAsync(ended).ConfigureAwait(false) is var noted && !ReferenceEquals(noted, ended))
                    {
                        store.Save(noted);
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                LogRetentionFailed(ex, workflow);
            }

            await PruneAsync(workflow, cancellationToken).ConfigureAwait(false);
        }

        await RemoveStaleContainersAsync(cancellationToken).ConfigureAwait(false);
    }
}
