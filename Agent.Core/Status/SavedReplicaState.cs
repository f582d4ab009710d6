namespace GradientNode.Core.Status;

/// <summary>
/// One instance in <c>replica-states.json</c> (<see cref="ReplicaJournal"/>): its last history entry (the fields of a
/// <see cref="ReplicaEvent"/>, as the file held before) and, when that entry is not a failure, its latest <c>failed</c>
/// entry before it (<see cref="LastFailure"/>): a running replica's status recalls how the container before it ended (an
/// out-of-memory kill, <c>LastOutOfMemory</c>), and before, a daemon restart forgot it. A file without it reads as before;
/// a daemon of before skips the field.
/// </summary>
public sealed record SavedReplicaState(string State, string? Message, DateTimeOffset Timestamp, ReplicaEvent? LastFailure = null)
{
    /// <summary>The instance's last entry.</summary>
    public ReplicaEvent ToLast() => new(State, Message, Timestamp);

    /// <summary>What the file keeps of an instance whose history is <paramref name="history"/> (not empty).</summary>
    public static SavedReplicaState Of(IReadOnlyList<ReplicaEvent> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var last = history[^1];
        ReplicaEvent? failure = null;
        for (var i = history.Count - 2; i >= 0 && last.State != "failed"; i--)
        {
            if (history[i].State == "failed")
            {
                failure = history[i];
                break;
            }
        }

        return new SavedReplicaState(last.State, last.Message, last.Timestamp, failure);
    }
}
