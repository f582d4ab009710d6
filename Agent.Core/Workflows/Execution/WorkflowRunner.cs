// Over 300 lines: one run's whole life (start, schedule, adopt after a restart, cancel, timeouts, finish) in one place, so that the order of its steps reads top to bottom.
using System.Globalization;
using GradientNode.Core.Workflows.Runs;
using Microsoft.Extensions.Logging;

namespace GradientNode.Core.Workflows.Execution;

/// <summary>
/// Drives one run: each pass asks <see cref="DagScheduler"/> what may start, starts jobs while the node's
/// <see cref="JobSlots"/> allow, and writes every change of phase to the run's record at once (so a restart
/// continues from it). Job results come back to this loop only; it alone changes the record.
/// </summary>
public sealed partial class WorkflowRunner(RunRecord initial, JobRunner jobs, JobMounts mounts, WorkflowRunStore store, JobSlots slots, TimeProvider time, ILogger logger)
{
    /// <summary>How often a GPU-waiting job looks again without a signal (GPU holders removed outside the node).</summary>
    public static readonly TimeSpan GpuPoll = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The message of a run, and of its running jobs, from <see cref="Cancel"/> until each job's container is sent SIGTERM
    /// (<see cref="ContainerJobExecutor.CancelSent"/>; <see cref="ContainerJobExecutor.CancelPending"/> while the engine
    /// does not answer). Before, it said the signal was sent from the start, also during an engine outage.
    /// </summary>
    public const string Canceling = "canceling: cancel requested; running jobs get SIGTERM (SIGKILL after the grace period)";

    /// <summary>The run's message once every running job's container was sent SIGTERM.</summary>
    public const string CancelSent = "canceling: running jobs were sent SIGTERM (SIGKILL after the grace period)";

    private readonly Lock _gate = new();
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _cancel = new();
    private readonly Dictionary<string, Task> _running = new(StringComparer.Ordinal);
    private RunRecord _record = initial;

    /// <summary>
    /// The run's end once decided (<see cref="Finish"/>), held back until <see cref="Finishing"/> has let go of what the
    /// run holds: readers see the run as it was until the end is saved once, whole (with what the clean-up removed).
    /// </summary>
    private RunRecord? _final;

    // GPU waits: a job whose last try found no free GPUs is tried again only once the GPU generation moves on
    // (the node gave GPUs back, or a second passed, for holders removed outside the node), not on every pass.
    private readonly Dictionary<string, int> _gpuWaiting = new(StringComparer.Ordinal);
    private int _gpuGeneration;
    private long _gpuPolled = time.GetTimestamp() - (long)(GpuPoll.TotalSeconds * time.TimestampFrequency); // monotonic: the first pass polls

    /// <summary>
    /// Called once the run has ended and no job runs any more, with the record of its end; returns the record to save
    /// (the service lets go of the run's dataset versions and removes the datasets it created for nothing, noting that in
    /// the message). By default the end as it is. A fault in it is logged and the end is saved as it was.
    /// </summary>
    public Func<RunRecord, Task<RunRecord>> Finishing { get; init; } = Task.FromResult;

    public RunRecord Record
    {
        get
        {
            lock (_gate)
            {
                return _record;
            }
        }
    }

    /// <summary>Asks the run to stop: running jobs get SIGTERM (SIGKILL after the grace period), pending ones never start.</summary>
    public void Cancel()
    {
        // Until the run ends (a job that ignores SIGTERM takes the grace period), its status says it is being canceled.
        Update(r => r with
        {
            CancelRequested = true,
            Status = r.Status.Phase.IsFinished() ? r.Status : r.Status with
            {
                Message = Canceling,
                Jobs = r.Status.Jobs.ToDictionary(j => j.Key, j => j.Value.Phase == WorkflowPhase.Running ? j.Value with { Message = Canceling } : j.Value, StringComparer.Ordinal),
            },
        });
        _cancel.Cancel();
        Wake();
    }

    public async Task RunAsync(CancellationToken stopping)
    {
        slots.Freed += Wake;
        jobs.GpusFreed += GpusFreed;
        try
        {
            if (_record.CancelRequested)
            {
                await _cancel.CancelAsync().ConfigureAwait(false);
            }

            await StartAsync(stopping).ConfigureAwait(false);
            while (!HasEnded)
            {
                // Take a fresh signal before the pass, so a job that ends during it wakes the next one.
                var signal = Volatile.Read(ref _wake);
                if (signal.Task.IsCompleted)
                {
                    Interlocked.CompareExchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), signal);
                    signal = Volatile.Read(ref _wake);
                }

                RetryUnsaved();
                Pass(stopping);
                if (HasEnded)
                {
                    break;
                }

                // A periodic pass too: the run's timeout, and GPU waits whose holders went without a signal (a container
                // removed outside the node). GPUs the node gives back wake the loop at once (GpusFreed).
                await Task.WhenAny(signal.Task, Task.Delay(TimeSpan.FromSeconds(1), time, stopping)).ConfigureAwait(false);
                stopping.ThrowIfCancellationRequested();
            }

            Task[] left;
            lock (_gate)
            {
                left = [.. _running.Values];
            }

            await Task.WhenAll(left).ConfigureAwait(false);
            await SaveEndAsync(stopping).ConfigureAwait(false);
        }
        finally
        {
            slots.Freed -= Wake;
            jobs.GpusFreed -= GpusFreed;
        }
    }

    private void Wake() => Volatile.Read(ref _wake).TrySetResult();

    private void GpusFreed()
    {
        Interlocked.Increment(ref _gpuGeneration);
        Wake();
    }

    private async Task StartAsync(CancellationToken stopping)
    {
        var record = Record;
        if (record.Status.Phase == WorkflowPhase.Pending)
        {
            try
            {
                var inputs = await mounts.ResolveRunInputsAsync(record, stopping).ConfigureAwait(false);
                var pinned = await mounts.ResolveJobInputsAsync(record, stopping).ConfigureAwait(false);
                RunStartsNow();
                Update(r => r with { PinnedInputs = pinned, Status = r.Status with { Phase = WorkflowPhase.Running, Started = time.GetUtcNow(), Inputs = inputs } });
                LogRunStarted(record.Status.Workflow, record.Status.Run);
            }
            catch (JobFailedException ex)
            {
                // No job ever starts: each ends SKIPPED with the reason, so a finished run never lists PENDING jobs.
                var now = time.GetUtcNow();
                Update(r => r with
                {
                    Status = r.Status with
                    {
                        Phase = WorkflowPhase.Error, Finished = now, Message = ex.Message,
                        Jobs = r.Status.Jobs.ToDictionary(j => j.Key, j => j.Value.Phase == WorkflowPhase.Pending ? j.Value with { Phase = WorkflowPhase.Skipped, Message = $"the run could not start: {ex.Message}", Finished = now } : j.Value, StringComparer.Ordinal),
                    },
                });
                LogRunEnded(record.Status.Workflow, record.Status.Run, WorkflowPhase.Error.Text(), ex.Message);
                return;
            }
        }

        // A container job is adopted; a node action (git-checkout, s3-download, create-model) cut by the restart runs again,
        // unless an output of it was already committed: then JobRunner goes on to its commit.
        foreach (var job in record.Plan.Jobs.Where(j => record.Status.Jobs.TryGetValue(j.Id, out var s) && s.Phase == WorkflowPhase.Running))
        {
            if (job.RunsContainer)
            {
                LogAdopting(record.Status.Workflow, record.Status.Run, job.Id);
            }
            else
            {
                LogRerunning(record.Status.Workflow, record.Status.Run, job.Id, job.Action);
            }

            Launch(job, restarted: true, stopping);
        }
    }

    private void Pass(CancellationToken stopping)
    {
        // A launched job is still PENDING in status while it prepares (secrets, folders, image, container): the
        // scheduler sees it as running, so a failure elsewhere never marks it SKIPPED while it goes on to run. Taken
        // before the record: a job that leaves _running has already written its result there.
        HashSet<string> launched;
        lock (_gate)
        {
            launched = [.. _running.Keys];
        }

        var record = Record;
        var timedOut = Deadline(record, null) is { } runDeadline && runDeadline.Passed(time);
        var jobsSeen = record.Status.Jobs.ToDictionary(j => j.Key, j => j.Value.Phase == WorkflowPhase.Pending && launched.Contains(j.Key) ? j.Value with { Phase = WorkflowPhase.Running } : j.Value, StringComparer.Ordinal);
        var step = DagScheduler.Next(record.Plan, jobsSeen, record.CancelRequested);
        if (time.GetElapsedTime(_gpuPolled) >= GpuPoll)
        {
            _gpuPolled = time.GetTimestamp();
            Interlocked.Increment(ref _gpuGeneration);
        }

        var generation = Volatile.Read(ref _gpuGeneration);
        if (step.Ends.Count > 0)
        {
            Update(r => r with { Status = r.Status with { Jobs = Merge(r.Status.Jobs, step.Ends.Where(e => r.Status.Jobs[e.Key].Phase == WorkflowPhase.Pending).ToDictionary(e => e.Key, e => r.Status.Jobs[e.Key] with { Phase = e.Value.Phase, Message = e.Value.Message, Finished = time.GetUtcNow() })) } });
        }

        int running;
        lock (_gate)
        {
            running = _running.Count;
        }

        if (step.RunPhase is { } phase && running == 0)
        {
            Finish(phase, step.RunMessage);
            return;
        }

        if (timedOut && !record.CancelRequested)
        {
            if (running == 0)
            {
                var message = $"the run's timeout of {record.Plan.TimeoutSeconds} s passed";
                var pending = record.Status.Jobs.Where(j => j.Value.Phase == WorkflowPhase.Pending).ToDictionary(j => j.Key, j => j.Value with { Phase = WorkflowPhase.Skipped, Message = message, Finished = time.GetUtcNow() });
                Update(r => r with { Status = r.Status with { Jobs = Merge(r.Status.Jobs, pending) } });
                Finish(WorkflowPhase.Failed, message);
            }

            return;
        }

        var (slotWaits, launchedNow) = (new List<string>(), new List<string>());
        foreach (var id in step.Ready)
        {
            lock (_gate)
            {
                if (_running.ContainsKey(id) || (_gpuWaiting.TryGetValue(id, out var waited) && waited == generation))
                {
                    continue;
                }
            }

            if (slotWaits.Count > 0 || !slots.TryTake())
            {
                slotWaits.Add(id);
                continue;
            }

            launchedNow.Add(id);
            Launch(record.Plan.Jobs.First(j => j.Id == id), restarted: false, stopping, generation);
        }

        NoteSlotWaits(slotWaits, launchedNow);
    }

    /// <summary>
    /// Ready jobs that found every job slot taken say so (saved only when a job's message changes), as a GPU wait does;
    /// a job launched since loses it at once (as it prepares, still PENDING), unless it has said something else since.
    /// </summary>
    private void NoteSlotWaits(List<string> waiting, List<string> launched)
    {
        var message = $"waits for a job slot: the node runs at most {slots.Limit} workflow job(s) at once, all runs together (--workflow-job-limit)";
        var jobs = Record.Status.Jobs;
        var changes = waiting.Where(id => jobs[id].Message != message).ToDictionary(id => id, id => (string?)message, StringComparer.Ordinal);
        foreach (var id in launched.Where(id => jobs[id].Message == message))
        {
            changes[id] = null;
        }

        if (changes.Count > 0)
        {
            Update(r => r with { Status = r.Status with { Jobs = Merge(r.Status.Jobs, changes.Where(c => r.Status.Jobs[c.Key].Phase == WorkflowPhase.Pending && (c.Value is not null || r.Status.Jobs[c.Key].Message == message)).ToDictionary(c => c.Key, c => r.Status.Jobs[c.Key] with { Message = c.Value })) } });
        }
    }

    /// <summary>Starts the job's task; <paramref name="restarted"/>: it was RUNNING when the daemon stopped (counted even past the job limit).</summary>
    private void Launch(JobPlan job, bool restarted, CancellationToken stopping, int generation = 0)
    {
        if (restarted)
        {
            slots.TakeRunning();
        }

        lock (_gate)
        {
            _running[job.Id] = Task.Run(() => RunJobAsync(job, adopt: restarted && job.RunsContainer, generation, stopping), CancellationToken.None);
        }
    }

    private async Task RunJobAsync(JobPlan job, bool adopt, int generation, CancellationToken stopping)
    {
        var (workflow, run) = (Record.Status.Workflow, Record.Status.Run);
        try
        {
            var deadline = Deadline(Record, job);
            JobResult result;
            if (adopt)
            {
                result = await jobs.AdoptAsync(Record, job, Progress, deadline, _cancel.Token, stopping, Note).ConfigureAwait(false);
            }
            else
            {
                result = await jobs.RunAsync(Record, job, Started, RecordModel, Progress, deadline, _cancel.Token, stopping, Note).ConfigureAwait(false);
            }

            Complete(job, result, generation);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The daemon is stopping: the job's container keeps running and the next start adopts it.
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogJobCrashed(ex, workflow, run, job.Id);
            Complete(job, new JobResult(new JobOutcome(WorkflowPhase.Error, ex.Message), new Dictionary<string, RunValue>(), new Dictionary<string, RunValue>()), generation);
        }
        finally
        {
            lock (_gate)
            {
                _running.Remove(job.Id);
            }

            slots.Release();
        }

        void Started(IReadOnlyDictionary<string, RunValue> inputs, IReadOnlyDictionary<string, DatasetWrite> writes)
        {
            LogJobStarting(workflow, run, job.Id);
            Update(r => r with
            {
                Writes = Merge(r.Writes, writes.ToDictionary(w => $"{job.Id}/{w.Key}", w => w.Value)),
                Status = r.Status with { Jobs = Merge(r.Status.Jobs, new Dictionary<string, JobStatus> { [job.Id] = r.Status.Jobs[job.Id] with { Phase = WorkflowPhase.Running, Started = time.GetUtcNow(), Message = null, Inputs = inputs } }) },
            });
        }

        // A commit's progress (once a second at most): shown as the RUNNING job's message, unless a cancel is being shown.
        void Progress(string message) => Update(r => r.CancelRequested || r.Status.Jobs[job.Id].Phase != WorkflowPhase.Running
            ? r
            : r with { Status = r.Status with { Jobs = Merge(r.Status.Jobs, new Dictionary<string, JobStatus> { [job.Id] = r.Status.Jobs[job.Id] with { Message = message } }) } });

        void RecordModel(string version) => Update(r => r with { ModelVersions = Merge(r.ModelVersions, new Dictionary<string, string> { [job.Id] = version }) });

        void Note(string message) => NoteCancel(job.Id, message);
    }

    /// <summary>
    /// Where a running job's cancel stands: its message, and the run's (pending while any job's signal waits for the
    /// engine, sent once every running job's was). Saved only when it changes.
    /// </summary>
    private void NoteCancel(string jobId, string message)
    {
        if (Record.Status.Jobs.TryGetValue(jobId, out var known) && (known.Phase != WorkflowPhase.Running || known.Message == message))
        {
            return;
        }

        Update(r =>
        {
            if (!r.Status.Jobs.TryGetValue(jobId, out var job) || job.Phase != WorkflowPhase.Running || r.Status.Phase.IsFinished())
            {
                return r;
            }

            var jobs = Merge(r.Status.Jobs, new Dictionary<string, JobStatus> { [jobId] = job with { Message = message } });
            var running = jobs.Values.Where(j => j.Phase == WorkflowPhase.Running).ToList();
            var runMessage = running.Any(j => j.Message == ContainerJobExecutor.CancelPending) ? ContainerJobExecutor.CancelPending
                : running.All(j => j.Message == ContainerJobExecutor.CancelSent) ? CancelSent
                : Canceling;
            return r with { Status = r.Status with { Message = runMessage, Jobs = jobs } };
        });
    }

    private void Complete(JobPlan job, JobResult result, int generation)
    {
        var (workflow, run) = (Record.Status.Workflow, Record.Status.Run);
        lock (_gate)
        {
            _gpuWaiting.Remove(job.Id);
            if (result.Outcome.IsWait)
            {
                _gpuWaiting[job.Id] = generation;
            }
        }

        if (result.Outcome.IsWait)
        {
            // Tried again when GPUs are given back or a second passed: logged and saved only when the reason changes.
            if (Record.Status.Jobs[job.Id].Message != result.Outcome.Message)
            {
                LogJobWaiting(workflow, run, job.Id, result.Outcome.Message ?? string.Empty);
                Update(r => r with { Status = r.Status with { Jobs = Merge(r.Status.Jobs, new Dictionary<string, JobStatus> { [job.Id] = r.Status.Jobs[job.Id] with { Message = result.Outcome.Message } }) } });
            }

            return;
        }

        LogJobEnded(workflow, run, job.Id, result.Outcome.Phase.Text(), result.Outcome.Message ?? string.Empty);
        Update(r => r with
        {
            Writes = r.Writes.Where(w => !w.Key.StartsWith(job.Id + "/", StringComparison.Ordinal)).ToDictionary(w => w.Key, w => w.Value, StringComparer.Ordinal),
            Status = r.Status with
            {
                Outputs = Merge(r.Status.Outputs, result.Outputs.ToDictionary(o => $"{job.Id}.{o.Key}", o => o.Value)),
                Jobs = Merge(r.Status.Jobs, new Dictionary<string, JobStatus>
                {
                    [job.Id] = r.Status.Jobs[job.Id] with
                    {
                        Phase = result.Outcome.Phase,
                        Message = result.Outcome.Message,
                        ExitCode = result.Outcome.ExitCode,
                        // Null for a job that never started (it ended while it prepared): `started` says the job ran (workflows run --wait prints its RUNNING from it).
                        Started = r.Status.Jobs[job.Id].Started,
                        Finished = Ended(result.Outcome, r.Status.Jobs[job.Id].Started),
                        Inputs = result.Inputs,
                        Outputs = result.Outputs,
                    },
                }),
            },
        });
        Wake();
    }

    private void Update(Func<RunRecord, RunRecord> change)
    {
        lock (_gate)
        {
            if (_final is not null)
            {
                // Ended, not yet saved (a cancel that came late): the change goes to the end, which is saved whole.
                _final = change(_final);
                return;
            }

            _record = change(_record);
            TrySaveLocked(_record);
        }
    }

    /// <summary>
    /// When the job ended: its container's exit as the engine recorded it when that lies between the job's start and now
    /// (an adopted job that ended while the daemon was down; a fake clock in tests never matches), else now.
    /// </summary>
    private DateTimeOffset Ended(JobOutcome outcome, DateTimeOffset? started)
    {
        var now = time.GetUtcNow();
        return outcome.Ended is { } ended && ended <= now && (started is null || ended >= started) ? ended : now;
    }

    private static Dictionary<string, T> Merge<T>(IReadOnlyDictionary<string, T> current, IReadOnlyDictionary<string, T> changes)
    {
        var merged = new Dictionary<string, T>(current, StringComparer.Ordinal);
        foreach (var (key, value) in changes)
        {
            merged[key] = value;
        }

        return merged;
    }
}
