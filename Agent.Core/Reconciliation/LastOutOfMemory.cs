using GradientNode.Core.Status;

namespace GradientNode.Core.Reconciliation;

/// <summary>
/// Why the container before a running replica ended, when the kernel killed it out of memory: an out-of-memory loop spends
/// most of its time with a fresh container that runs (and may be ready) until it is killed again, and its status then said
/// only <c>LAST EXIT 137</c> and a restart count; the kill itself was in the instance's history alone (faults13).
/// </summary>
internal static class LastOutOfMemory
{
    /// <summary>What a running replica's state message says of it; null unless its last exit (137) was such a kill.</summary>
    public static string? Of(ReplicaJournal? journal, string instanceId, ObservedReplica replica)
    {
        if (journal is null || !replica.Running || replica.ExitCode != 137 || replica.Restarts == 0)
        {
            return null;
        }

        var history = journal.History(instanceId);
        for (var i = history.Count - 1; i >= 0; i--)
        {
            if (history[i] is not { State: "failed", Message: { } message })
            {
                continue;
            }

            // The latest end before this container's: the container's name, then how it ended.
            var kill = message.IndexOf(": killed: out of memory", StringComparison.Ordinal);
            return message.StartsWith(replica.ContainerName + ": ", StringComparison.Ordinal) || kill < 0
                ? null
                : $"restart {replica.Restarts}: the container before it was {message[(kill + 2)..]}";
        }

        return null;
    }
}
