using System.Globalization;
using GradientNode.Core.Common;
using GradientNode.Core.Datasets;
using GradientNode.Core.Engine;
using GradientNode.Core.Reconciliation;
using GradientNode.Core.Secrets;
using GradientNode.Core.Workflows.Runs;

namespace GradientNode.Core.Workflows.Execution;

/// <summary>
/// Runs one job from start to result: resolve its secrets, lay out its mounts, run its action (a container, or the
/// node itself), then read its string outputs and commit its dataset outputs, only when it succeeded; a failed or
/// canceled job's dataset versions are aborted, so nothing of it is committed. Also adopts a job whose container
/// outlived a daemon restart; a node action cut by a restart is simply run again (the interrupted attempt's writes
/// are aborted first, its folders made afresh), unless the restart cut its outputs' commit after one was committed:
/// then the commit goes on and the action is not run again.
/// </summary>
public sealed partial class JobRunner(ContainerJobExecutor containers, DaemonActions actions, JobMounts mounts, IWorkflowDatasets datasets, JobSecrets secrets, TimeProvider time)
{
    /// <summary>
    /// Runs <paramref name="job"/>; <paramref name="started"/> reports its inputs and open writes once its action began,
    /// <paramref name="recordModel"/> the model version a create-model job is about to commit. Writes the record still
    /// holds for the job (an attempt cut by a restart) are aborted first. <paramref name="progress"/> hears the job's message
    /// while its dataset outputs are committed (<see cref="CommittingMessage"/>).
    /// </summary>
    /// <param name="note">Hears where a cancel of a container job stands (<see cref="ContainerJobExecutor.WaitAsync"/>).</param>
    public async Task<JobResult> RunAsync(RunRecord run, JobPlan job, Action<IReadOnlyDictionary<string, RunValue>, IReadOnlyDictionary<string, DatasetWrite>> started, Action<string> recordModel, Action<string> progress, JobDeadline? deadline, CancellationToken cancel, CancellationToken stopping, Action<string>? note = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(started);
        PreparedJob? prepared = null;
        IReadOnlyList<string> hidden = [];
        try
        {
            // A job waiting for GPUs is tried again on every pass: it looks first, and prepares nothing while it waits.
            if (job.RunsContainer && await containers.GpuWaitAsync(job, stopping).ConfigureAwait(false) is { } gpuWait)
            {
                return new JobResult(JobOutcome.Wait(gpuWait), Empty, Empty);
            }

            var recorded = WritesOf(run, job);
            if (!job.RunsContainer && await AnyCommittedAsync(recorded.Values, stopping).ConfigureAwait(false))
            {
                // The action had ended and an output of it was committed before the record saved the job's end: the commit
                // goes on as an adopted container job's does (those committed found by their writes' ids, the others committed
                // from their staging folders). Run again, the action made new writes, and the version committed stayed as an extra.
                // Since a node action writes one dataset output at most, a graceful stop (which suspends a commit) no longer
                // gets here; a daemon killed between the commit's rename and the save of the job's end does.
                var inputs = run.Status.Jobs.TryGetValue(job.Id, out var status) ? status.Inputs : Empty;
                var outputsDir = Path.Combine(mounts.JobDir(run, job.Id), "outputs");
                return await FinishAsync(run, job, JobOutcome.Succeeded(null), inputs, outputsDir, recorded, progress, deadline, cancel, stopping).ConfigureAwait(false);
            }

            await AbortAsync(recorded.Values).ConfigureAwait(false);
            var env = secrets.Environment(job);
            hidden = JobSecrets.Values(job, env);
            if (!job.RunsContainer)
            {
                // A credential secret the node lacks ends the job ERROR before it starts (no RUNNING, no start time), as a
                // missing env secret does; before, the action was marked started and failed on it a moment later.
                foreach (var (key, value) in job.With)
                {
                    _ = secrets.Resolve($"jobs.{job.Id}.with.{key}", value);
                }
            }

            prepared = await mounts.PrepareAsync(run, job, stopping).ConfigureAwait(false);
            JobOutcome outcome;
            string? kept = null;
            if (job.RunsContainer)
            {
                var (id, wait) = await containers.StartAsync(run, job, prepared, env, stopping).ConfigureAwait(false);
                if (id is null)
                {
                    await AbortAsync(prepared.Writes.Values).ConfigureAwait(false);
                    return new JobResult(JobOutcome.Wait(wait!), prepared.Inputs, Empty);
                }

                started(prepared.Inputs, prepared.Writes);
                kept = prepared.Writes.Count > 0 ? id : null;
                outcome = await containers.WaitAsync(id, deadline, LogPath(run, job), secrets.Mask(run.Plan, job, hidden), cancel, stopping, note, keep: kept is not null).ConfigureAwait(false);
            }
            else
            {
                started(prepared.Inputs, prepared.Writes);
                outcome = await RunOnNodeAsync(run, job, prepared, recordModel, deadline, cancel, stopping).ConfigureAwait(false);
            }

            var result = await FinishAsync(run, job, outcome, prepared.Inputs, prepared.OutputsDir, prepared.Writes, progress, deadline, cancel, stopping).ConfigureAwait(false);
            await RemoveKeptAsync(kept).ConfigureAwait(false);
            return result;
        }
        catch (Exception ex) when (stopping.IsCancellationRequested && ex is not OperationCanceledException)
        {
            // The daemon is stopping (a fetcher may report that as its own error): the record keeps the job RUNNING
            // with its writes open, and the next start adopts or re-runs it.
            throw new OperationCanceledException("the node is stopping", ex, stopping);
        }
        catch (JobFailedException ex)
        {
            await AbortAsync(prepared?.Writes.Values ?? []).ConfigureAwait(false);
            // The engine may echo what it was sent (runc quotes an env line it refuses): the job's secret values never show.
            return new JobResult(new JobOutcome(ex.Phase, EngineFailure.Redact(ex.Message, hidden)), prepared?.Inputs ?? Empty, Empty);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            await AbortAsync(prepared?.Writes.Values ?? []).ConfigureAwait(false);
            var phase = ex is OperationCanceledException ? WorkflowPhase.Canceled : WorkflowPhase.Error;
            return new JobResult(new JobOutcome(phase, phase == WorkflowPhase.Canceled ? "canceled" : EngineFailure.Redact(ex.Message, hidden)), prepared?.Inputs ?? Empty, Empty);
        }
    }

    /// <summary>The node gave GPUs back (see <see cref="ContainerJobExecutor.GpusFreed"/>): runs with a job waiting for them look again.</summary>
    public event Action? GpusFreed
    {
        add => containers.GpusFreed += value;
        remove => containers.GpusFreed -= value;
    }

    /// <summary>Continues a container job that was RUNNING when the daemon stopped: waits for its container, or fails it when the container is gone.</summary>
    public async Task<JobResult> AdoptAsync(RunRecord run, JobPlan job, Action<string> progress, JobDeadline? deadline, CancellationToken cancel, CancellationToken stopping, Action<string>? note = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(job);
        if (!job.RunsContainer)
        {
            throw new ArgumentException($"{job.Action} runs in the node, not in a container: run it again instead", nameof(job));
        }

        var inputs = run.Status.Jobs.TryGetValue(job.Id, out var status) ? status.Inputs : Empty;
        var writes = WritesOf(run, job);
        var outputsDir = Path.Combine(mounts.JobDir(run, job.Id), "outputs");

        var container = await containers.FindAsync(run.Status.Workflow, run.Status.Run, job.Id, stopping).ConfigureAwait(false);
        if (container is null)
        {
            await AbortAsync(writes.Values).ConfigureAwait(false);
            return new JobResult(new JobOutcome(WorkflowPhase.Failed, VanishedMessage(run.Status.Workflow)), inputs, Empty);
        }

        var keep = writes.Count > 0;
        var outcome = await containers.WaitAsync(container.Id, deadline, LogPath(run, job), secrets.Mask(run.Plan, job, []), cancel, stopping, note, keep).ConfigureAwait(false);
        var result = await FinishAsync(run, job, outcome, inputs, outputsDir, writes, progress, deadline, cancel, stopping).ConfigureAwait(false);
        await RemoveKeptAsync(keep ? container.Id : null).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// Removes a container kept until its job's dataset outputs were committed (<see cref="ContainerJobExecutor.WaitAsync"/>),
    /// once the job has its result (committed, refused, or cut by a cancel or a stop). A daemon killed before that finds it at
    /// its next start. A removal the engine refuses leaves it to the sweep at the run's end (<c>WorkflowService.RemoveStaleContainersAsync</c>).
    /// </summary>
    private async Task RemoveKeptAsync(string? id)
    {
        if (id is null)
        {
            return;
        }

        try
        {
            await containers.RemoveAsync(id, CancellationToken.None).ConfigureAwait(false);
        }
        catch (EngineException)
        {
            // the job's result stands; the run's end sweeps the container
        }
    }

    /// <summary>
    /// A job whose container was gone when the daemon came back: nothing of it was committed, so the next step is a new
    /// run (before, the message stopped at "the job's result is unknown").
    /// </summary>
    internal static string VanishedMessage(string workflow) =>
        $"its container vanished while the node was restarting; the job's result is unknown and nothing of it was committed (run the workflow again: gradient-node workflows run -f FILE --name {workflow})";

    /// <summary>Removes the containers still labelled with an ended run (see <see cref="ContainerJobExecutor.RemoveRunContainersAsync"/>).</summary>
    public Task<int> RemoveRunContainersAsync(string workflow, int run, CancellationToken cancellationToken) =>
        containers.RemoveRunContainersAsync(workflow, run, cancellationToken);

    /// <summary>Every container of this node's workflow jobs (see <see cref="ContainerJobExecutor.ListNodeJobsAsync"/>).</summary>
    public Task<IReadOnlyList<ContainerSummary>> ListNodeJobContainersAsync(CancellationToken cancellationToken) =>
        containers.ListNodeJobsAsync(cancellationToken);

    /// <summary>Removes one job container (see <see cref="ContainerJobExecutor.RemoveAsync"/>).</summary>
    public Task RemoveContainerAsync(string id, CancellationToken cancellationToken) => containers.RemoveAsync(id, cancellationToken);

    /// <summary>The mask for <paramref name="job"/>'s log lines: its secrets and those of the jobs it needs, as they are now (<see cref="JobSecrets.Mask(RunPlan, JobPlan, IReadOnlyList{string})"/>).</summary>
    public LogMask MaskOfLog(RunPlan plan, JobPlan job) => secrets.Mask(plan, job, []);

    /// <summary>The mask for what <paramref name="plan"/>'s run shows through the API (<see cref="RunStatusMask"/>).</summary>
    public LogMask MaskOf(RunPlan plan) => secrets.Mask(plan);

    /// <summary>The plan's secret references this node cannot resolve now (<see cref="JobSecrets.Missing"/>), for a run's submit check.</summary>
    public IReadOnlyList<string> MissingSecrets(RunPlan plan, Func<string, GradientNode.Core.Specs.SpecPosition?>? at) => secrets.Missing(plan, at);

    /// <summary>What the plan's secrets make too long for Linux to start its jobs with (<see cref="JobSecrets.TooLong"/>), for a run's submit check.</summary>
    public IReadOnlyList<string> TooLongToStart(RunPlan plan, Func<string, GradientNode.Core.Specs.SpecPosition?>? at) => secrets.TooLong(plan, at);

    /// <summary>The plan's <c>container-registries</c> names with no stored connection now (<see cref="JobImages.Missing"/>), for a run's submit check.</summary>
    public IReadOnlyList<string> MissingRegistries(RunPlan plan, Func<string, GradientNode.Core.Specs.SpecPosition?>? at) => containers.Images.Missing(plan, at);

    public string LogPath(RunRecord run, JobPlan job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return Path.Combine(mounts.JobDir(run, job.Id), "log.txt");
    }

    private static readonly IReadOnlyDictionary<string, RunValue> Empty = new Dictionary<string, RunValue>();

    private async Task<bool> AnyCommittedAsync(IEnumerable<DatasetWrite> writes, CancellationToken cancellationToken)
    {
        foreach (var write in writes)
        {
            if (await datasets.IsCommittedAsync(write, cancellationToken).ConfigureAwait(false))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The job's open writes the record holds, keyed by output.</summary>
    private static Dictionary<string, DatasetWrite> WritesOf(RunRecord run, JobPlan job) =>
        run.Writes.Where(w => w.Key.StartsWith(job.Id + "/", StringComparison.Ordinal)).ToDictionary(w => w.Key[(job.Id.Length + 1)..], w => w.Value, StringComparer.Ordinal);

    private async Task<JobOutcome> RunOnNodeAsync(RunRecord run, JobPlan job, PreparedJob prepared, Action<string> recordModel, JobDeadline? deadline, CancellationToken cancel, CancellationToken stopping)
    {
        var left = deadline is null ? Timeout.InfiniteTimeSpan : deadline.Remaining(time);
        using var timer = new CancellationTokenSource(left < TimeSpan.Zero && deadline is not null ? TimeSpan.Zero : left, time);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel, stopping, timer.Token);

        try
        {
            await actions.RunAsync(run, job, prepared, secrets, recordModel, limit.Token).ConfigureAwait(false);
            return JobOutcome.Succeeded(null);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested && !cancel.IsCancellationRequested && deadline is not null)
        {
            return new JobOutcome(WorkflowPhase.Failed, deadline.Message);
        }
    }
}
