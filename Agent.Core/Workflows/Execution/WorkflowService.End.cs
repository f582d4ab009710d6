using GradientNode.Core.Workflows.Runs;

namespace GradientNode.Core.Workflows.Execution;

/// <summary>A run's end: what it held let go of, the datasets it created for nothing removed, and old runs pruned.</summary>
public sealed partial class WorkflowService
{
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

    /// <summary>
    /// Every end (succeeded, failed, canceled, timed out, crashed) lets go of the dataset versions the run held and removes
    /// the datasets it created for nothing; returns the end to save, with a note of what was removed.
    /// </summary>
    private async Task<RunRecord> EndAsync(RunRecord end)
    {
        await ReleaseAsync(end).ConfigureAwait(false);
        return await RemoveUnusedDatasetsAsync(end).ConfigureAwait(false);
    }

    /// <summary>
    /// A dataset the run's outputs created and no job committed a version to (its job failed or was canceled) is removed,
    /// and the returned record's message says so (the caller saves it); one that existed before the run is never touched
    /// (<see cref="JobMounts.RemoveUnusedDatasetsAsync"/>).
    /// </summary>
    private async Task<RunRecord> RemoveUnusedDatasetsAsync(RunRecord record)
    {
        try
        {
            var removed = await mounts.RemoveUnusedDatasetsAsync(record, CancellationToken.None).ConfigureAwait(false);
            if (removed.Count == 0)
            {
                return record;
            }

            var names = string.Join(", ", removed.Select(n => $"'{n}'"));
            LogDatasetsRemoved(record.Status.Workflow, record.Status.Run, names);
            var note = $"removed dataset {names}: this run created it for a dataset output and no job committed a version to it";
            return record with { Status = record.Status with { Message = string.IsNullOrEmpty(record.Status.Message) ? note : $"{record.Status.Message}; {note}" } };
        }
        catch (Exception ex) when (ex is IOException or WorkflowDatasetException or UnauthorizedAccessException)
        {
            LogCleanUpFailed(ex, record.Status.Workflow, record.Status.Run);
            return record;
        }
    }

    /// <summary>Deletes the workflow's oldest ended runs beyond <c>runsKept</c> (<see cref="RunRetention"/>).</summary>
    private async Task PruneAsync(string workflow, CancellationToken cancellationToken)
    {
        if (runsKept == 0)
        {
            return;
        }

        var deleted = new List<int>();
        try
        {
            foreach (var run in RunRetention.Doomed(store.Runs(workflow).Select(r => r.Status), runsKept))
            {
                try
                {
                    if (await DeleteAsync(workflow, run, cancellationToken).ConfigureAwait(false) == RunDeletion.Deleted)
                    {
                        deleted.Add(run);
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    LogCleanUpFailed(ex, workflow, run);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogRetentionFailed(ex, workflow);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the next start deletes what is left.
        }

        if (deleted.Count > 0)
        {
            LogPruned(workflow, deleted.Count, runsKept, string.Join(", ", deleted));
        }
    }
}
