using System.Globalization;
using GradientNode.Core.Common;
using GradientNode.Core.Datasets;
using GradientNode.Core.Engine;
using GradientNode.Core.Reconciliation;
using GradientNode.Core.Secrets;
using GradientNode.Core.Workflows.Runs;

namespace GradientNode.Core.Workflows.Execution;

/// <summary>A container job's end: its string and volume outputs read, its dataset outputs committed, a kept container removed.</summary>
public sealed partial class JobRunner
{
    /// <summary>
    /// Reads the string outputs of a job that succeeded and commits its dataset outputs one by one. A cancel of the run cuts
    /// a commit: the output being committed and those after it are removed (nothing of them committed), the outputs
    /// committed before it stay, and the job ends CANCELED saying so. The daemon's stop suspends it instead
    /// (<see cref="OperationCanceledException"/>: the job stays RUNNING with its writes staged, and the next start commits
    /// them, finding those this pass committed by their writes' ids). The
    /// job's or the run's timeout (<paramref name="deadline"/>) cuts it the same way and ends the job FAILED, timed out: before,
    /// a 512 GiB sparse output hashed on for minutes past a 15 s timeout.
    /// </summary>
    private async Task<JobResult> FinishAsync(RunRecord run, JobPlan job, JobOutcome outcome, IReadOnlyDictionary<string, RunValue> inputs, string outputsDir, IReadOnlyDictionary<string, DatasetWrite> writes, Action<string> progress, JobDeadline? deadline, CancellationToken cancel, CancellationToken stopping)
    {
        if (outcome.Phase != WorkflowPhase.Succeeded)
        {
            await AbortAsync(writes.Values).ConfigureAwait(false);
            return new JobResult(NotKept(job, outcome), inputs, Empty);
        }

        var outputs = new Dictionary<string, RunValue>(StringComparer.Ordinal);
        foreach (var (name, output) in job.Outputs.Where(o => o.Value.Type == "string"))
        {
            var (value, problem) = await StringOutputFile.ReadAsync(outputsDir, name, CancellationToken.None).ConfigureAwait(false);
            if (problem is not null)
            {
                await AbortAsync(writes.Values).ConfigureAwait(false);
                return new JobResult(new JobOutcome(WorkflowPhase.Failed, AndNote(problem, outcome), outcome.ExitCode), inputs, Empty);
            }

            outputs[name] = new RunValue { Type = "string", Value = value };
        }

        foreach (var (name, _) in job.Outputs.Where(o => o.Value.Type == "volume"))
        {
            if (VolumeOutputSeal.TrySeal(mounts.VolumeDir(run, job.Id, name), stopping) is { } problem)
            {
                await AbortAsync(writes.Values).ConfigureAwait(false);
                return new JobResult(new JobOutcome(WorkflowPhase.Error, AndNote($"volume output '{name}' could not be sealed: {problem}", outcome), outcome.ExitCode), inputs, Empty);
            }

            outputs[name] = new RunValue { Type = "volume" };
        }

        var left = deadline is null ? Timeout.InfiniteTimeSpan : deadline.Remaining(time);
        using var timer = new CancellationTokenSource(left < TimeSpan.Zero && deadline is not null ? TimeSpan.Zero : left, time);
        using var cut = CancellationTokenSource.CreateLinkedTokenSource(cancel, timer.Token);
        foreach (var (name, write) in writes)
        {
            try
            {
                // The daemon's stop suspends a commit rather than cutting it: the write stays staged, the record keeps the
                // job RUNNING (the exception below), and the next start commits it (a kept container's job is adopted, a
                // node action runs again); an output this pass committed is found again by its write's id.
                var committed = await datasets.CommitAsync(write, RunDatasetHolds.Holder(run), p => progress(CommittingMessage(name, p)), cut.Token, stopping).ConfigureAwait(false);
                outputs[name] = new RunValue { Type = "dataset", With = new Dictionary<string, string> { ["ref"] = write.Name }, Dataset = new DatasetValue(committed.Id, true) };
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested && !cut.IsCancellationRequested)
            {
                throw; // suspended (above)
            }
            catch (OperationCanceledException) when (cut.IsCancellationRequested)
            {
                await AbortAsync(writes.Where(w => !outputs.ContainsKey(w.Key)).Select(w => w.Value)).ConfigureAwait(false);
                var why = cancel.IsCancellationRequested || deadline is null
                    ? CommitCut(name, outcome.ExitCode)
                    : new JobOutcome(WorkflowPhase.Failed, $"{deadline.Message}, while committing dataset output '{name}': nothing of it was committed", outcome.ExitCode);
                return new JobResult(why with { Message = AndNote(why.Message!, outcome) }, inputs, outputs);
            }
            catch (Exception ex) when (ex is WorkflowDatasetException or IOException)
            {
                await AbortAsync(writes.Where(w => !outputs.ContainsKey(w.Key)).Select(w => w.Value)).ConfigureAwait(false);
                // A file name the store refuses is what the job wrote (FAILED, as a bad string output is); a store failure is the node's (ERROR).
                var phase = ex is WorkflowDatasetException { ContentRefused: true } ? WorkflowPhase.Failed : WorkflowPhase.Error;
                return new JobResult(new JobOutcome(phase, AndNote($"dataset output '{name}' (dataset '{write.Name}') could not be committed: {CommitProblem(ex)}", outcome), outcome.ExitCode), inputs, outputs);
            }
        }

        return new JobResult(outcome, inputs, outputs);
    }

    /// <summary>
    /// <paramref name="outcome"/> of a job that FAILED (a non-zero exit, an out-of-memory kill, a timeout) or was CANCELED
    /// while it ran, saying that its dataset and string outputs were not kept: whatever it wrote to <c>/outputs</c> is
    /// dropped. Before, a failed job's message said only <c>exited with code 3</c>, so a user looked for the version it had
    /// written; a canceled one said only <c>canceled: stopped on SIGTERM</c> until workflows17.
    /// </summary>
    internal static JobOutcome NotKept(JobPlan job, JobOutcome outcome)
    {
        var kept = job.Outputs.Where(o => o.Value.Type is "dataset" or "string").Select(o => o.Key).ToList();
        return outcome.Phase is not (WorkflowPhase.Failed or WorkflowPhase.Canceled) || kept.Count == 0 ? outcome
            : outcome with { Message = $"{outcome.Message}; {(kept.Count == 1 ? "its output" : "its outputs")} {string.Join(", ", kept)} {(kept.Count == 1 ? "was" : "were")} not kept (nothing of what it wrote was committed: a job's outputs are kept only when it succeeds)" };
    }

    /// <summary>
    /// <paramref name="message"/>, then what the container's end already said of a job that exited 0 (its log could not be
    /// kept: <see cref="ContainerJobExecutor.WithLogLost"/>), which a failed output check or commit would otherwise replace.
    /// </summary>
    internal static string AndNote(string message, JobOutcome succeeded) =>
        succeeded.Message is { Length: > 0 } note ? $"{message}; {note}" : message;

    /// <summary>
    /// Why a commit failed: the store's own words, or for a file the store could not write the reason and the folder
    /// (<see cref="FileProblem"/>) with the errno's name (ENOSPC, EROFS), and on a full disk what to do. Before, .NET's text named a temp file
    /// (<c>No space left on device : '…/.dataset.json.18087.5578….tmp'</c>) and said nothing of the disk.
    /// </summary>
    internal static string CommitProblem(Exception error) => error switch
    {
        IOException when FileProblem.IsNoSpace(error) => $"{FileProblem.Describe(error, errno: true)}: the disk of the node's state directory is full; free space (gradient-node datasets gc, gradient-node workflows delete NAME --all) and run the workflow again",
        IOException => FileProblem.Describe(error, errno: true),
        _ => error.Message,
    };

    /// <summary>The job's message while <paramref name="output"/> is committed: how many of its bytes are hashed.</summary>
    internal static string CommittingMessage(string output, DatasetCommitProgress progress) =>
        $"committing dataset output '{output}': {progress.Done.ToString(CultureInfo.InvariantCulture)} of {progress.Total.ToString(CultureInfo.InvariantCulture)} bytes hashed"
        + (progress.Total > 0 ? $" ({(progress.Done * 100 / progress.Total).ToString(CultureInfo.InvariantCulture)}%)" : string.Empty);

    private static JobOutcome CommitCut(string output, int? exitCode) =>
        new(WorkflowPhase.Canceled, $"canceled while committing dataset output '{output}': nothing of it was committed", exitCode);

    private async Task AbortAsync(IEnumerable<DatasetWrite> writes)
    {
        foreach (var write in writes)
        {
            try
            {
                await datasets.AbortAsync(write, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WorkflowDatasetException or IOException)
            {
                // Nothing was committed; a staging folder left behind is the store's to clean.
            }
        }
    }
}
