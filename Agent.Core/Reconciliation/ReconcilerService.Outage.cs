using GradientNode.Core.Engine;

namespace GradientNode.Core.Reconciliation;

/// <summary>
/// An engine outage (dockerd stopped or restarting) is logged once when it starts and once when it ends. Before, every
/// deployment logged "reconcile failed" twice every 2 s and the resync and event stream added their own lines: a
/// one-minute dockerd restart under 50 deployments wrote about 3,000 warnings, which buried the one line that mattered.
/// </summary>
public sealed partial class ReconcilerService
{
    /// <summary>When the engine stopped answering; null while it answers.</summary>
    private long? _unreachableSince; // monotonic: the outage's length in the log is right across a wall-clock step

    /// <summary>
    /// Logs <paramref name="ex"/>: an engine that cannot be reached once per outage, any other failure each time. True
    /// when it logged at warning level, false when the outage was already logged.
    /// </summary>
    private bool NoteEngineProblem(Exception ex)
    {
        if (!EngineFailure.IsUnreachable(ex))
        {
            LogEngineProblem(ex.Message);
            return true;
        }

        lock (_gate)
        {
            if (_unreachableSince is not null)
            {
                return false;
            }

            _unreachableSince = time.GetTimestamp();
        }

        LogEngineUnreachable(ex.Message.TrimEnd('.', ' '), FailureBackoff.EngineRetry.TotalSeconds);
        return true;
    }

    /// <summary>A deployment's pass failed for want of the engine: the outage is logged once, each retry at debug level only.</summary>
    private void NoteUnreachableRetry(string slug, Exception ex)
    {
        if (!NoteEngineProblem(ex))
        {
            LogReconcileFailedWhileUnreachable(slug, ex.Message);
        }
    }

    /// <summary>The engine answered: ends an outage, logged once.</summary>
    private void NoteEngineReachable()
    {
        long since;
        lock (_gate)
        {
            if (_unreachableSince is not { } start)
            {
                return;
            }

            since = start;
            _unreachableSince = null;
        }

        LogEngineBack(time.GetElapsedTime(since).TotalSeconds);
    }
}
