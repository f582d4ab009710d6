using System.Collections.Concurrent;
using GradientNode.Core.Health;
using GradientNode.Core.Status;
using Microsoft.Extensions.Logging;

namespace GradientNode.Core.Reconciliation;

/// <summary>
/// Remembers, per deployment, when the rollout to the desired hash last made progress (a new replica became
/// ready), which the planner's progress deadline reads, and describes the rollout for the status. A rollout that
/// replaces replicas of the desired hash itself because their creation settings drifted (<see cref="CreationDrift"/>)
/// says why in its <see cref="RolloutTrack.Reason"/>, and is logged once when it begins (event 1011).
/// </summary>
public sealed partial class RolloutTracker(ILogger<RolloutTracker> logger)
{
    private readonly ConcurrentDictionary<string, RolloutTrack> _rollouts = new(StringComparer.Ordinal);

    /// <summary>The rollout to <paramref name="desired"/>'s hash, or null when no replica of another hash runs.</summary>
    public RolloutTrack? Track(string slug, DesiredReplicas desired, IReadOnlyList<ObservedReplica> observed, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(observed);
        var kept = ReplicaSlots.Kept(desired.Count, observed).ToHashSet();
        var outdated = observed.Where(r => r.Running && !r.IsCurrent(desired.SpecHash) && kept.Contains(r.Index)).ToList();
        var stale = outdated.Select(r => r.SpecHash).Distinct().ToList();
        if (desired.Count == 0 || stale.Count == 0)
        {
            _rollouts.TryRemove(slug, out _);
            return null;
        }

        var readyNew = observed.Count(r => r.IsCurrent(desired.SpecHash) && r.Ready);
        // Until the first new replica exists the version is still being prepared (its integrations fetched, its image
        // pulled): the deadline is for replicas becoming ready, so its clock starts when the first one is created.
        var created = observed.Any(r => r.IsCurrent(desired.SpecHash));
        var drifted = outdated.Where(r => r.SpecHash == desired.SpecHash && r.Drift is not null).ToList();
        var reason = drifted.Count == 0
            ? null
            : $"replacing replicas {string.Join("; ", drifted.Select(r => r.Drift!).Distinct(StringComparer.Ordinal))}";
        _rollouts.TryGetValue(slug, out var before);
        var track = _rollouts.AddOrUpdate(
            slug,
            _ => new RolloutTrack(desired.SpecHash, stale, now, readyNew) { Reason = reason, ToProbes = desired.ProbesHash },
            (_, old) => !SameVersion(old, desired)
                ? new RolloutTrack(desired.SpecHash, stale, now, readyNew) { Reason = reason, ToProbes = desired.ProbesHash }
                : old with { FromHashes = stale, LastProgress = readyNew > old.ReadyNew || !created ? now : old.LastProgress, ReadyNew = readyNew, Reason = old.Reason ?? reason });
        if (reason is not null && (before is null || !SameVersion(before, desired) || before.Reason is null))
        {
            LogDriftRollout(slug, drifted.Count, reason);
        }

        return track;
    }

    /// <summary>
    /// Whether <paramref name="track"/> rolls to <paramref name="desired"/>'s version: its spec hash and its probes. A second
    /// change of the probes alone, made while the first one's rollout stalls, starts afresh (its own progress deadline).
    /// </summary>
    private static bool SameVersion(RolloutTrack track, DesiredReplicas desired) =>
        track.ToHash == desired.SpecHash && track.ToProbes == desired.ProbesHash;

    /// <summary>The status of <paramref name="track"/>: progressing, or failed with why (the stuck replica and its probe).</summary>
    public static RolloutStatus? Describe(RolloutTrack? track, DesiredReplicas desired, ReconcilePlan plan, IReadOnlyList<ObservedReplica> observed)
    {
        if (track is null)
        {
            return null;
        }

        if (plan.Failure is not { } failure)
        {
            return new RolloutStatus("Progressing", track.ToHash, track.FromHashes, track.LastProgress, null) { Reason = track.Reason };
        }

        var stuck = observed.FirstOrDefault(r => r.IsCurrent(desired.SpecHash) && !r.Ready);
        var why = stuck is null ? string.Empty : $"; new replica {stuck.Index}: {StatusBuilder.Lifecycle(stuck).Message ?? stuck.State}";
        return new RolloutStatus("Failed", track.ToHash, track.FromHashes, track.LastProgress, failure.Reason + why + ProbeResult(stuck?.Health, why)) { Reason = track.Reason };
    }

    /// <summary>
    /// The last result of the probe that holds the stuck replica back, unless <paramref name="why"/> already quotes it (its
    /// state's message is that probe's: before, <c>readiness probe: X (last readiness result: X)</c> said it twice).
    /// </summary>
    private static string ProbeResult(HealthSnapshot? health, string why) => health switch
    {
        { Health: ReplicaHealth.Starting, Startup.LastMessage: { } s } => why.Contains(s, StringComparison.Ordinal) ? string.Empty : $" (startup probe: {s})",
        { Readiness.LastMessage: { } r } when !why.Contains(r, StringComparison.Ordinal) => $" (last readiness result: {r})",
        _ => string.Empty,
    };

    [LoggerMessage(EventId = 1011, Level = LogLevel.Information, Message = "{Slug}: {Reason} ({Count} running), through a rolling update: each one stops once its successor is ready")]
    private partial void LogDriftRollout(string slug, int count, string reason);
}
