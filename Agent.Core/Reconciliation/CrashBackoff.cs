namespace GradientNode.Core.Reconciliation;

/// <summary>
/// When an exited replica may be recreated. The first restart is immediate; after that the wait doubles from
/// 10 s up to 5 min. A run of at least 10 minutes counts as healthy and resets the schedule. The count lives
/// in container labels, so the schedule survives a daemon restart.
/// </summary>
public static class CrashBackoff
{
    public static readonly TimeSpan Initial = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan Max = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan HealthyRun = TimeSpan.FromMinutes(10);

    /// <summary>The consecutive-crash count after this container's exit.</summary>
    public static int CrashesAfter(ObservedReplica exited)
    {
        ArgumentNullException.ThrowIfNull(exited);
        return CrashesAfter(exited.Crashes, exited.StartedAt, exited.FinishedAt);
    }

    /// <summary>The consecutive-crash count after a run from <paramref name="startedAt"/> to <paramref name="finishedAt"/> that followed <paramref name="crashes"/>.</summary>
    public static int CrashesAfter(int crashes, DateTimeOffset? startedAt, DateTimeOffset? finishedAt)
    {
        var ranFor = startedAt is { } started && finishedAt is { } finished ? finished - started : TimeSpan.Zero;
        return ranFor >= HealthyRun ? 0 : crashes + 1;
    }

    /// <summary>The wait before the restart that follows the <paramref name="crashes"/>-th consecutive crash.</summary>
    public static TimeSpan Delay(int crashes)
    {
        if (crashes <= 1)
        {
            return TimeSpan.Zero;
        }

        var exponent = Math.Min(crashes - 2, 10);
        var delay = Initial * Math.Pow(2, exponent);
        return delay > Max ? Max : delay;
    }

    /// <summary>
    /// Up to +10% jitter, derived from the container id so one container's schedule is stable, also across
    /// daemon restarts (hence FNV-1a: <c>string.GetHashCode</c> is randomized per process).
    /// </summary>
    public static TimeSpan WithJitter(TimeSpan delay, string containerId)
    {
        var seed = StableHash(containerId) % 1000;
        return delay + (delay * (seed / 10000.0));
    }

    private static uint StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }

        return hash;
    }

    /// <summary>
    /// When the replacement of <paramref name="exited"/> may start, at most its delay after <paramref name="now"/>: an exit
    /// Docker stamped after now (the wall clock stepped back since) counts as now. Before, a step back of an hour held a
    /// crashed replica's restart back for an hour.
    /// </summary>
    public static DateTimeOffset RestartAt(ObservedReplica exited, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(exited);
        var restartAt = RestartAt(exited);
        var latest = now + WithJitter(Delay(CrashesAfter(exited)), exited.ContainerId);
        return restartAt > latest ? latest : restartAt;
    }

    /// <summary>When the replacement of <paramref name="exited"/> may start.</summary>
    public static DateTimeOffset RestartAt(ObservedReplica exited)
    {
        var delay = WithJitter(Delay(CrashesAfter(exited)), exited.ContainerId);
        return (exited.FinishedAt ?? exited.Created) + delay;
    }
}
