using GradientNode.Core.Workflows.Runs;

namespace GradientNode.Core.Workflows.Execution;

/// <summary>
/// Saving the run's record when the state directory refuses it (a full disk, a read-only mount): the record in memory
/// stays the run's truth (the API shows it, a cancel still stops the jobs), the failure is logged once (event 5171),
/// and the save is tried again at every pass of the loop (at least once a second) and at the end until it succeeds
/// (event 5172). Before, the save's exception left the change in memory but threw out of the step: a cancel answered
/// an error and never stopped the job, while the status said its jobs were sent SIGTERM.
/// </summary>
public sealed partial class WorkflowRunner
{
    /// <summary>Why the record on disk is behind the one in memory; null when it is not.</summary>
    private string? _unsaved;

    /// <summary>Saves <paramref name="record"/>; false (logged once) when the state directory refuses it. Under <c>_gate</c>.</summary>
    private bool TrySaveLocked(RunRecord record)
    {
        try
        {
            store.Save(record);
            if (_unsaved is not null)
            {
                _unsaved = null;
                LogRecordSavedAgain(record.Status.Workflow, record.Status.Run);
            }

            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (_unsaved is null)
            {
                LogRecordNotSaved(record.Status.Workflow, record.Status.Run, ex.Message);
            }

            _unsaved = ex.Message;
            return false;
        }
    }

    /// <summary>Tries again to save a record the state directory refused (each pass of the loop).</summary>
    private void RetryUnsaved()
    {
        lock (_gate)
        {
            if (_unsaved is not null && _final is null)
            {
                TrySaveLocked(_record);
            }
        }
    }

    /// <summary>Saves the run's end, trying again every second until the state directory takes it or the daemon stops.</summary>
    private async Task SaveEndUntilSavedAsync(RunRecord end, CancellationToken stopping)
    {
        while (true)
        {
            lock (_gate)
            {
                if (TrySaveLocked(end))
                {
                    return;
                }
            }

            await Task.Delay(TimeSpan.FromSeconds(1), time, stopping).ConfigureAwait(false);
        }
    }
}
