using System.Globalization;
using GradientNode.Core.Status;

namespace GradientNode.Core.Reconciliation;

/// <summary>The parts of a Progressing or Degraded message: what a rollout replaces, a first version past its deadline, the restart countdown.</summary>
public static partial class StatusBuilder
{
    /// <summary>
    /// <c>; replacing 2 old replicas</c>, or for running replicas of the desired hash whose creation settings drifted
    /// (<see cref="ObservedReplica.Drift"/>), <c>; replacing 2 replicas created with NET_RAW by an earlier version of the node</c>;
    /// and for replicas past the count (indexes the deployment no longer keeps), <c>; stopping replicas 1, 2 (scaled down to 1)</c>.
    /// Before, a scale-down read <c>replacing 2 old replicas</c>, as if a rollout ran (newuser15's finding).
    /// </summary>
    private static string Replacing(IReadOnlyList<ObservedReplica> outdated, string hash, HashSet<int> kept, int desired)
    {
        var surplus = outdated.Where(r => !kept.Contains(r.Index)).Select(r => r.Index).Distinct().Order().ToList();
        var replaced = outdated.Where(r => kept.Contains(r.Index)).ToList();
        var drifted = replaced.Where(r => r.SpecHash == hash).ToList();
        var parts = new List<string>();
        if (replaced.Count > drifted.Count)
        {
            parts.Add(Plural(replaced.Count - drifted.Count, "old replica"));
        }

        foreach (var group in drifted.GroupBy(r => r.Drift!, StringComparer.Ordinal))
        {
            parts.Add($"{Plural(group.Count(), "replica")} {group.Key}");
        }

        var replacing = parts.Count == 0 ? string.Empty : $"; replacing {string.Join(" and ", parts)}";
        var stopping = surplus.Count == 0 ? string.Empty : string.Create(
            CultureInfo.InvariantCulture,
            $"; stopping {(surplus.Count == 1 ? "replica" : "replicas")} {string.Join(", ", surplus)} (scaled down to {desired})");
        return replacing + stopping;
    }

    /// <summary>
    /// The end of the crash backoff the message counts down to (<see cref="RestartCountdown"/>), or null when it shows none
    /// (an error or a GPU wait is said instead).
    /// </summary>
    private static DateTimeOffset? RestartAt(Input input, DeploymentState state, string message) =>
        state == DeploymentState.Degraded && input.BackoffUntil is { } until && message.TrimEnd().EndsWith(RestartCountdown.Text(until, input.Now), StringComparison.Ordinal)
            ? until
            : null;

    /// <summary>
    /// When the progress deadline ends the current version's wait: a rollout's last progress plus the deadline (it then
    /// fails and the old version keeps serving), or a first version's first replica plus the deadline while none is ready
    /// and no pull runs (it is then Failed, still tried); null when neither clock runs.
    /// </summary>
    private static DateTimeOffset? GivesUpAt(Input input, int ready) => input.Rollout switch
    {
        { State: "Progressing" } rollout => rollout.LastProgress + input.Desired.ProgressDeadline,
        { } => null,
        null when ready == 0 && input.Pull is null && input.NeverReadySince is { } since => since + input.Desired.ProgressDeadline,
        null => null,
    };

    /// <summary>
    /// <paramref name="result"/>, or Failed saying so when a first version passed the progress deadline with no replica ready
    /// (never while its image is still being pulled: a pull has its own stall detection).
    /// </summary>
    private static (DeploymentState State, string Message) PastDeadline(Input input, int ready, (DeploymentState State, string Message) result) =>
        ready == 0 && input.Pull is null && input.NeverReadySince is { } since && input.Now - since > input.Desired.ProgressDeadline
            ? (DeploymentState.Failed, string.Create(
                CultureInfo.InvariantCulture,
                $"no replica became ready within the progress deadline ({input.Desired.ProgressDeadline.TotalSeconds:0} s), still trying: {result.Message}"))
            : result;

    /// <summary>Why <paramref name="spec"/> runs no replica on purpose (<see cref="DeploymentStatus.Off"/>), null when it runs some.</summary>
    private static string? OffOf(Specs.DeploymentSpec? spec) => spec switch
    {
        { Enabled: false } => DeploymentStatus.OffDisabled,
        { Resources.Replicas: 0 } => DeploymentStatus.OffScaledToZero,
        _ => null,
    };
}
