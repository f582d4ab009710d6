using GradientNode.Core.Common;
using GradientNode.Core.Workflows.Runs;

namespace GradientNode.Core.Workflows.Execution;

/// <summary>A run's end: decided (<see cref="Finish"/>), held back, cleaned up by <see cref="Finishing"/> and saved once.</summary>
public sealed partial class WorkflowRunner
{
    private bool HasEnded
    {
        get
        {
            lock (_gate)
            {
                return _final is not null || _record.Status.Phase.IsFinished();
            }
        }
    }

    /// <summary>Runs <see cref="Finishing"/> on the run's end and saves what it returns, once.</summary>
    private async Task SaveEndAsync(CancellationToken stopping)
    {
        RunRecord end;
        lock (_gate)
        {
            end = _final ?? _record;
        }

        var saved = end;
        try
        {
            saved = await Finishing(end).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogFinishingFailed(ex, end.Status.Workflow, end.Status.Run);
        }

        lock (_gate)
        {
            _record = saved;
            _final = null;
        }

        await SaveEndUntilSavedAsync(saved, stopping).ConfigureAwait(false);
    }

    private void Finish(WorkflowPhase phase, string? message)
    {
        var record = Record;
        var volumes = Path.Combine(store.RunDir(record.Status.Workflow, record.Status.Run), "volumes");
        try
        {
            if (Directory.Exists(volumes))
            {
                RawTree.Delete(volumes); // a job may leave a tree deeper than .NET can delete
            }
        }
        catch (IOException ex)
        {
            LogVolumesLeft(ex, record.Status.Workflow, record.Status.Run);
        }

        // Held back, not saved: RunAsync saves it once Finishing has cleaned up (SaveEndAsync).
        lock (_gate)
        {
            _final = _record with { Status = _record.Status with { Phase = phase, Message = message, Finished = time.GetUtcNow() } };
        }

        LogRunEnded(record.Status.Workflow, record.Status.Run, phase.Text(), message ?? string.Empty);
    }
}
