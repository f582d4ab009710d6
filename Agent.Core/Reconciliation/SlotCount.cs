using System.Text.Json.Serialization;

namespace GradientNode.Core.Reconciliation;

/// <summary>
/// What <see cref="SlotCounters"/> keeps of a replica slot's newest container: its version and the counters and times its
/// successor's are computed from (<see cref="SlotCounters.Carry"/>). Kept in <c>slot-counters.json</c> per deployment and index.
/// </summary>
public sealed record SlotCount(
    string Hash,
    int Restarts,
    int Crashes,
    int? ExitCode,
    bool Running,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt)
{
    public static SlotCount Of(ObservedReplica replica)
    {
        ArgumentNullException.ThrowIfNull(replica);
        return new SlotCount(replica.SpecHash, replica.Restarts, replica.Crashes, replica.Running ? null : replica.ExitCode, replica.Running, replica.StartedAt, replica.Running ? null : replica.FinishedAt);
    }

    /// <summary>Read back from a file: a count no node writes (negative, an empty hash) is not one.</summary>
    [JsonIgnore]
    public bool Plausible => Hash.Length is > 0 and <= 128 && Restarts >= 0 && Crashes >= 0;
}
