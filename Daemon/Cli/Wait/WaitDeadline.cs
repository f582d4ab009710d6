using System.Globalization;
using GradientNode.Core.Status;

namespace GradientNode.Daemon.Cli.Wait;

/// <summary>
/// When <c>--wait</c> gives up, and what keeps serving then: the <c>deadline</c> line of the progress display and the
/// words its last line adds. Before, a version that never got ready said why at once but not when the wait would end
/// (the node's progress deadline, 10 minutes by default, or <c>--timeout</c>), nor, when it ended, that the last good
/// version keeps serving. Pure apart from remembering whether a problem was shown.
/// </summary>
internal sealed class WaitDeadline(RolloutTarget target, TimeSpan? timeout, DateTimeOffset started)
{
    private bool _problem;
    private ProgressFact? _said;

    /// <summary>
    /// The <c>deadline</c> fact for <paramref name="status"/>: none until the daemon picked the version up; then how long
    /// each side waits (<c>--timeout</c>, the node's <c>--progress-deadline</c>); once a problem shows (a crash, a failing
    /// probe, Degraded), the time the node gives up. Its change (plain mode) leaves out the countdown, so it prints once.
    /// </summary>
    public IReadOnlyList<ProgressFact> Facts(DeploymentStatus status, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (status.SpecHash != target.SpecHash || status.State == DeploymentState.Disabled || status.ProgressDeadlineSeconds is not { } seconds)
        {
            return [];
        }

        _problem |= Problem(status);
        var deadline = Duration(TimeSpan.FromSeconds(seconds));
        // A first version has nothing to fall back on; a rollout (or a rollback) leaves the replicas of the version before.
        var then = status.Rollout is not null || status.Replicas.Any(r => !IsNew(r)) ? "the last good version keeps serving" : "this version is Failed (still tried)";
        var ours = timeout is { } limit
            ? $"--wait gives up at {Clock(started + limit)} (--timeout {Duration(limit)})"
            : "--wait has no limit of its own (--timeout D sets one)";
        if (_problem && status.GivesUpAt is { } at)
        {
            var stop = timeout is null ? "--timeout D stops waiting sooner" : ours;
            var change = $"the node gives up on this version at {Clock(at)} unless a new replica is ready by then (--progress-deadline {deadline}); then {then}, and --wait ends with exit 1; {stop}";
            var left = at - now > TimeSpan.Zero ? $" (in {Duration(at - now)})" : string.Empty;
            return [new ProgressFact("deadline", change.Replace($"{Clock(at)} unless", $"{Clock(at)}{left} unless", StringComparison.Ordinal), change)];
        }

        // A scale-up or a restart of replicas beside ready ones of the same version runs no progress clock: only ours. A
        // first version whose first replica got ready while the wait ran keeps the line it had: printed again shortened,
        // it read as news just before 'rolled out'.
        var besideReady = then.StartsWith("this", StringComparison.Ordinal) && status.Replicas.Any(r => IsNew(r) && r.Ready);
        if (besideReady && _said is { } said)
        {
            return [said];
        }

        var text = besideReady
            ? ours
            : $"{ours}; the node gives up on this version when no new replica is ready for {deadline} (--progress-deadline), then {then}";
        _said = new ProgressFact("deadline", text, text);
        return [_said];
    }

    /// <summary>
    /// What the last line adds when <c>--wait</c> stops before the version rolled out and replicas of an older version are
    /// ready: <c>; the last good version keeps serving (1 replica ready)</c>, unless <paramref name="message"/> says so.
    /// </summary>
    public string StillServing(DeploymentStatus? status, string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (status is null || OldReady(status) is not (> 0 and var ready)
            || message.Contains("keeps serving", StringComparison.Ordinal) || message.Contains("keep running", StringComparison.Ordinal))
        {
            return string.Empty;
        }

        return string.Create(CultureInfo.InvariantCulture, $"; the last good version keeps serving ({ready} {(ready == 1 ? "replica" : "replicas")} ready)");
    }

    /// <summary>When the node gives up, for the timeout line: <c> (the node gives up on it at 10:11:12Z if no new replica is ready by then)</c>.</summary>
    public static string NodeGivesUp(DeploymentStatus? status) =>
        status?.GivesUpAt is { } at ? $" (the node gives up on it at {Clock(at)} if no new replica is ready by then)" : string.Empty;

    /// <summary>A duration as the options take it: <c>10m</c>, <c>1m30s</c>, <c>45s</c>, <c>1h</c>.</summary>
    public static string Duration(TimeSpan span)
    {
        var total = (long)Math.Ceiling(span.TotalSeconds);
        var (h, m, s) = (total / 3600, total / 60 % 60, total % 60);
        var text = (h > 0 ? $"{h}h" : string.Empty) + (m > 0 ? $"{m}m" : string.Empty) + (s > 0 || total == 0 ? $"{s}s" : string.Empty);
        return text;
    }

    private static string Clock(DateTimeOffset at) => at.UtcDateTime.ToString("HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private bool Problem(DeploymentStatus status) =>
        status.State == DeploymentState.Degraded || status.Replicas.Any(r => IsNew(r) && !r.Ready
            && (r.LastExitCode is not (null or 0) || r.Restarts > 0 || r.Health?.Readiness?.LastMessage is not null || r.Health?.Startup?.LastMessage is not null));

    private int OldReady(DeploymentStatus status) => status.Replicas.Count(r => !IsNew(r) && r.Ready);

    private bool IsNew(ReplicaStatus replica) => replica.SpecHash == target.SpecHash && replica.Current;
}
