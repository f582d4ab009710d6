// Over 300 lines: a job container's whole life (image, GPU lease, create, start, wait, cancel and timeout stops, kept log, removal) in one place, so that the order of its engine calls reads top to bottom.
using System.Globalization;
using System.Security.Cryptography;
using GradientNode.Core.Common;
using GradientNode.Core.Engine;
using GradientNode.Core.Gpus;
using GradientNode.Core.Reconciliation;
using GradientNode.Core.Secrets;
using GradientNode.Core.Workflows.Runs;
using GradientNode.Core.Workflows.Specs;

namespace GradientNode.Core.Workflows.Execution;

/// <summary>
/// Runs <c>container@v1</c> and <c>script@v1</c> jobs as containers labelled <c>gradient.workflow</c>,
/// <c>gradient.run</c>, <c>gradient.job</c> (and <c>gradient.node</c>, so GPU accounting counts them): create, start,
/// wait for the exit (or a timeout, or a cancel: SIGTERM, then SIGKILL after the grace period), keep the log in the
/// job's folder (its first 1 MiB and last 7 MiB, <see cref="JobLogKeeper"/>), remove the container. A GPU instance type takes exclusive GPUs through <see cref="GpuAssigner"/>,
/// the replicas' allocator, and waits while none are free (without an assigner, as in unit tests, jobs run without limits).
/// </summary>
public sealed class ContainerJobExecutor(IContainerEngine engine, JobImages images, GpuAssigner? gpus, WorkflowOptions options, TimeProvider time)
{
    /// <summary>The engine the jobs run on (the logs endpoint streams a running job's output from it).</summary>
    public IContainerEngine Engine => engine;

    /// <summary>The images' pull credentials: which <c>container-registries</c> names have no stored connection (<see cref="JobImages.Missing"/>).</summary>
    public JobImages Images => images;

    /// <summary>GPUs were given back by the node (a replica or a job removed): a job waiting for them may start now.</summary>
    public event Action? GpusFreed
    {
        add
        {
            if (gpus is not null)
            {
                gpus.Freed += value;
            }
        }

        remove
        {
            if (gpus is not null)
            {
                gpus.Freed -= value;
            }
        }
    }

    /// <summary>
    /// The PENDING message (<c>waits for GPUs: …</c>) when the job's GPU instance type has no free GPUs now, else null.
    /// A cheap read-only look (the inventory and the containers' GPU labels), made before the job's folders and dataset
    /// writes are prepared, so a waiting job does no file work on each retry; <see cref="StartAsync"/> still takes the lease.
    /// </summary>
    public async Task<string?> GpuWaitAsync(JobPlan job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.InstanceType is not { } type || gpus is null)
        {
            return null;
        }

        return await gpus.CheckAsync(type, cancellationToken).ConfigureAwait(false) is { } wait ? $"waits for GPUs: {wait}" : null;
    }

    public static Dictionary<string, string> Labels(string node, string workflow, int run, string job) => new(StringComparer.Ordinal)
    {
        [ContainerLabels.Node] = node,
        [ContainerLabels.Workflow] = workflow,
        [ContainerLabels.Run] = run.ToString(CultureInfo.InvariantCulture),
        [ContainerLabels.Job] = job,
    };

    /// <summary>
    /// <c>gn-wf-WORKFLOW-RUN-JOB-SHORT</c>: the random suffix keeps two nodes on one engine (different <c>--node-name</c>)
    /// from colliding on the same workflow's run and job, as replicas' names do. The node finds its containers by label.
    /// </summary>
    public static string ContainerName(string workflow, int run, string job) =>
        $"gn-wf-{workflow}-{run.ToString(CultureInfo.InvariantCulture)}-{job}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";

    /// <summary>The job's container, if one exists (a restarted daemon adopts it).</summary>
    public async Task<ContainerSummary?> FindAsync(string workflow, int run, string job, CancellationToken cancellationToken)
    {
        var filters = Labels(options.NodeName, workflow, run, job).Select(kv => $"{kv.Key}={kv.Value}").ToList();
        var found = await engine.ListContainersAsync(filters, cancellationToken).ConfigureAwait(false);
        return found.OrderByDescending(c => c.Created).FirstOrDefault();
    }

    /// <summary>Every container of the run, all its jobs' (one list call; a followed run's jobs share it, <c>RunContainerWatch</c>).</summary>
    public Task<IReadOnlyList<ContainerSummary>> ListRunAsync(string workflow, int run, CancellationToken cancellationToken)
    {
        var filters = new[] { ContainerLabels.Node, ContainerLabels.Workflow, ContainerLabels.Run }
            .Select(key => $"{key}={Labels(options.NodeName, workflow, run, string.Empty)[key]}").ToList();
        return engine.ListContainersAsync(filters, cancellationToken);
    }

    /// <summary>Every container of this node's workflow jobs, of every run (one list call; <c>WorkflowService</c> reaps the stale ones).</summary>
    public Task<IReadOnlyList<ContainerSummary>> ListNodeJobsAsync(CancellationToken cancellationToken) =>
        engine.ListContainersAsync([$"{ContainerLabels.Node}={options.NodeName}", ContainerLabels.Workflow, ContainerLabels.Run], cancellationToken);

    /// <summary>Removes one container (forced); one already gone counts as removed.</summary>
    public async Task RemoveAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            await engine.RemoveContainerAsync(id, force: true, cancellationToken).ConfigureAwait(false);
        }
        catch (ContainerNotFoundException)
        {
            // removed meanwhile (a run's deletion): what was asked
        }
    }

    /// <summary>
    /// Removes every container labelled with the run (an ended run has none: each job's is removed when it ends; one
    /// left by a failed removal goes here, when the run is deleted); returns how many.
    /// </summary>
    public async Task<int> RemoveRunContainersAsync(string workflow, int run, CancellationToken cancellationToken)
    {
        var found = await ListRunAsync(workflow, run, cancellationToken).ConfigureAwait(false);
        foreach (var container in found)
        {
            await engine.RemoveContainerAsync(container.Id, force: true, cancellationToken).ConfigureAwait(false);
        }

        return found.Count;
    }

    /// <summary>Creates and starts the job's container; returns its id, or null with <paramref name="waitMessage"/> when its GPUs are not free.</summary>
    public async Task<(string? Id, string? WaitMessage)> StartAsync(RunRecord run, JobPlan job, PreparedJob prepared, IReadOnlyList<string> env, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(prepared);
        var image = job.Image ?? throw new JobFailedException(WorkflowPhase.Error, $"jobs.{job.Id}.with.image: required");
        var inspected = await images.EnsureAsync(job, image, cancellationToken).ConfigureAwait(false);
        if (RunArgumentCheck.Problem(job, EnvValues(env), inspected) is { } tooLarge)
        {
            // Linux would refuse to start it (argument list too long): said before a container is made, names and sizes only.
            throw new JobFailedException(WorkflowPhase.Error, tooLarge);
        }

        var (workflow, number) = (run.Status.Workflow, run.Status.Run);
        if (await FindAsync(workflow, number, job.Id, cancellationToken).ConfigureAwait(false) is { } stale)
        {
            await engine.RemoveContainerAsync(stale.Id, force: true, cancellationToken).ConfigureAwait(false);
        }

        var request = new ContainerCreateRequest
        {
            Name = ContainerName(workflow, number, job.Id),
            Image = image,
            Entrypoint = job.Action == WorkflowActions.Script ? ["bash"] : job.Command,
            Cmd = job.Action == WorkflowActions.Script ? [JobScriptFile.ScriptPath] : job.Args, // the file JobMounts wrote: a script may be longer than an argument may be
            Env = env,
            Labels = Labels(options.NodeName, workflow, number, job.Id),
            Binds = prepared.Binds,
            PidsLimit = options.PidsLimit > 0 ? options.PidsLimit : null,
            Log = options.LogRotation,
            InspectedImage = inspected, // the label check reads it: one image inspect per create
        };
        GpuLease? lease = null;
        if (job.InstanceType is { } type && gpus is not null)
        {
            if (gpus.Validate(type) is { } unknown)
            {
                throw new JobFailedException(WorkflowPhase.Error, $"jobs.{job.Id}.resources.instance-type: {unknown}");
            }

            lease = await gpus.AcquireAsync($"{workflow}/{number}/{job.Id}", 0, type, cancellationToken).ConfigureAwait(false);
            if (lease.WaitMessage is { } wait)
            {
                lease.Dispose();
                return (null, $"waits for GPUs: {wait}");
            }

            request = lease.Apply(request);
        }

        request = CapMemory(request, lease?.Type);

        using (lease)
        {
            try
            {
                var id = await engine.CreateContainerAsync(request, cancellationToken).ConfigureAwait(false);
                try
                {
                    await engine.StartContainerAsync(id, cancellationToken).ConfigureAwait(false);
                }
                catch (EngineException ex)
                {
                    await engine.RemoveContainerAsync(id, force: true, CancellationToken.None).ConfigureAwait(false);
                    throw new JobFailedException(WorkflowPhase.Error, StartError(job, image, EngineFailure.Describe(ex)));
                }

                return (id, null);
            }
            catch (EngineException ex)
            {
                throw new JobFailedException(WorkflowPhase.Error, $"jobs.{job.Id}: the container could not be created: {GpuAssigner.Explain(EngineFailure.Describe(ex))}");
            }
        }
    }

    /// <summary>The job's <c>NAME=value</c> lines as a map (the image's <c>ENV</c> is counted apart, where the job does not set the name).</summary>
    private static Dictionary<string, string?> EnvValues(IReadOnlyList<string> env)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var line in env)
        {
            var at = line.IndexOf('=', StringComparison.Ordinal);
            values[at < 0 ? line : line[..at]] = at < 0 ? string.Empty : line[(at + 1)..];
        }

        return values;
    }

    /// <summary>A canceled job's message while the engine does not answer: nothing has been sent to its container yet.</summary>
    public const string CancelPending = "canceling: cancel requested; SIGTERM not sent yet: the Docker engine does not answer (the container runs on until it does)";

    /// <summary>A canceled job's message once its container is being stopped.</summary>
    public const string CancelSent = "canceling: SIGTERM sent (SIGKILL after the grace period)";

    /// <summary>
    /// Waits for the container to exit, stopping it once <paramref name="deadline"/> passed (FAILED, with its message; monotonic)
    /// or when <paramref name="cancel"/> fires (CANCELED). <paramref name="stopping"/> (the daemon shutting down) leaves it running.
    /// <paramref name="note"/> hears where a cancel stands (<see cref="CancelPending"/> while the engine is away, then
    /// <see cref="CancelSent"/>), so the job's status says what was done, not what was asked. With <paramref name="keep"/>
    /// (a job with dataset outputs still to commit) the ended container is not removed: the caller removes it once the
    /// commit is done (<see cref="RemoveAsync"/>), so a daemon killed mid-commit finds it exited at its next start and
    /// commits again from the staging folder the container still mounts (the start's cleaner keeps mounted ones). Before,
    /// the container was gone first, and a restart mid-commit failed the job and removed its complete output (faults11).
    /// </summary>
    public async Task<JobOutcome> WaitAsync(string id, JobDeadline? deadline, string logPath, LogMask mask, CancellationToken cancel, CancellationToken stopping, Action<string>? note = null, bool keep = false)
    {
        while (true)
        {
            stopping.ThrowIfCancellationRequested();
            ContainerDetails? details;
            try
            {
                details = await engine.InspectContainerAsync(id, stopping).ConfigureAwait(false);
            }
            catch (EngineUnavailableException)
            {
                // dockerd is restarting or away: with live-restore the container runs on (and without it, it is gone
                // once the engine answers, which the next look says). The job stays RUNNING and is looked at again;
                // before, it ended ERROR at once while its container ran on, unwatched.
                await EngineAwayAsync(cancel, stopping, note).ConfigureAwait(false);
                continue;
            }

            if (details is null)
            {
                return new JobOutcome(WorkflowPhase.Failed, "its container vanished (removed outside the node); the job's result is unknown");
            }

            if (!details.State.Running && details.State.Status is "exited" or "dead")
            {
                var logLost = await KeepLogAndRemoveAsync(id, logPath, mask, keep, stopping).ConfigureAwait(false);
                var code = details.State.ExitCode;
                return WithLogLost(code == 0 ? JobOutcome.Succeeded()
                    : new JobOutcome(WorkflowPhase.Failed, details.State.OomKilled ? JobMemoryLimit.OomMessage(details.Labels, code) ?? JobMemoryLimit.OwnOomMessage(details.MemoryLimit, code) : ContainerExit.Describe(code), code), logLost)
                    with { Ended = details.State.FinishedAt };
            }

            var stop = cancel.IsCancellationRequested ? new JobOutcome(WorkflowPhase.Canceled, "canceled: stopped on SIGTERM")
                : deadline is not null && deadline.Passed(time) ? new JobOutcome(WorkflowPhase.Failed, deadline.Message)
                : null;
            if (stop is not null)
            {
                if (cancel.IsCancellationRequested)
                {
                    note?.Invoke(CancelSent);
                }

                try
                {
                    await engine.StopContainerAsync(id, options.StopGrace, stopping).ConfigureAwait(false);
                }
                catch (EngineUnavailableException)
                {
                    // Gone between the look and the stop: nothing was sent; the next look tries again.
                    await EngineAwayAsync(cancel, stopping, note).ConfigureAwait(false);
                    continue;
                }

                var stopped = await engine.InspectContainerAsync(id, stopping).ConfigureAwait(false);
                var logLost = await KeepLogAndRemoveAsync(id, logPath, mask, keep, stopping).ConfigureAwait(false);

                // Before, a cancel said "stopped with SIGTERM (SIGKILL after the grace period)" beside exit code 137,
                // the SIGKILL's: which of the two stopped the job was left to the reader.
                return WithLogLost(stop.Phase == WorkflowPhase.Canceled && stopped?.State is { ExitCode: 137, OomKilled: false }
                    ? stop with { Message = $"canceled: killed with SIGKILL after the {options.StopGrace.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s grace period (it did not stop on SIGTERM)", ExitCode = 137 }
                    : stop with { ExitCode = stopped?.State.ExitCode }, logLost);
            }

            await PauseAsync(stopping, cancel).ConfigureAwait(false);
        }
    }

    /// <summary>The engine does not answer: a cancel made is still pending (said once per change); one poll interval.</summary>
    private Task EngineAwayAsync(CancellationToken cancel, CancellationToken stopping, Action<string>? note)
    {
        if (cancel.IsCancellationRequested)
        {
            note?.Invoke(CancelPending);
        }

        return PauseAsync(stopping, cancel);
    }

    /// <summary>
    /// One poll interval; a cancel ends it early (the next pass stops the container), a stop throws. A cancel already
    /// made (the engine away, so the container could not be stopped yet) waits the whole interval, not a busy loop.
    /// </summary>
    private async Task PauseAsync(CancellationToken stopping, CancellationToken cancel)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, cancel);
        try
        {
            await Task.Delay(options.PollInterval, time, cancel.IsCancellationRequested ? stopping : linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            // A cancel: the next pass stops the container.
        }
    }

    /// <summary>
    /// A CPU job (its instance type has no GPUs; every job has a type, <c>C5</c> by default) gets at most the node's
    /// <see cref="WorkflowOptions.JobMemoryBytes"/>: a type's memory (C10: 240 GiB) may be more than the host has, and
    /// one runaway job would then take the whole box. The label says the node's limit, not the type's, holds it.
    /// </summary>
    private ContainerCreateRequest CapMemory(ContainerCreateRequest request, MachineType? type)
    {
        var cap = options.JobMemoryBytes;
        if (cap <= 0 || type?.HasGpus == true || (request.MemoryBytes is { } own && own <= cap))
        {
            return request;
        }

        return request with
        {
            MemoryBytes = cap,
            Labels = new Dictionary<string, string>(request.Labels, StringComparer.Ordinal) { [ContainerLabels.JobMemory] = cap.ToString(CultureInfo.InvariantCulture) },
        };
    }

    private static string StartError(JobPlan job, string image, string message) =>
        job.Action == WorkflowActions.Script && message.Contains("bash", StringComparison.Ordinal)
            ? $"jobs.{job.Id}: script@v1 runs its script with bash, and image '{image}' has no bash in its PATH (use an image with bash, or container@v1 with command: [sh, -c]). Docker said: {message}"
            : $"jobs.{job.Id}: the container did not start: {GpuAssigner.Explain(message)}";

    /// <summary>Keeps the job's log and removes its container (unless <paramref name="keep"/>); returns why the log could not be kept in the run's folder, or null.</summary>
    private async Task<string?> KeepLogAndRemoveAsync(string id, string logPath, LogMask mask, bool keep, CancellationToken cancellationToken)
    {
        string? lost = null;
        try
        {
            await using var file = new FileStream(logPath, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 64 * 1024, useAsync: true);
            await JobLogKeeper.Default.KeepAsync(engine.GetLogsAsync(id, new LogOptions(), cancellationToken), file, mask, cancellationToken).ConfigureAwait(false);
        }
        catch (EngineException)
        {
            // What was read is written (JobLogKeeper); the engine's stream broke after it.
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The log is a convenience; the job's result does not depend on it. A full state directory (IOException) must
            // not keep the container either: before, the job ended ERROR naming log.txt and its container was left behind.
            // The job's message says the log is lost: before, `workflows logs` printed nothing and nothing said why.
            lost = FileProblem.IsNoSpace(ex)
                ? $"{FileProblem.Describe(ex)}: the disk of the node's state directory is full"
                : FileProblem.Describe(ex);
        }

        if (!keep)
        {
            await engine.RemoveContainerAsync(id, force: true, cancellationToken).ConfigureAwait(false);
        }

        gpus?.NotifyFreed(); // an exited container holds no GPU (GpuAllocator), kept or not
        return lost;
    }

    /// <summary>The outcome, its message ending with the note that the job's output was not kept (<c>workflows logs</c> has none to show).</summary>
    internal static JobOutcome WithLogLost(JobOutcome outcome, string? lost) => lost is null ? outcome : outcome with
    {
        Message = (outcome.Message is { Length: > 0 } said ? said + "; " : string.Empty) + $"its log could not be kept: {lost}",
    };
}
