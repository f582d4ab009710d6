using System.Globalization;

namespace GradientNode.Core.Status;

/// <summary>
/// The <c>; restarting in Ns</c> that ends a deployment's message while an exited replica waits out its crash backoff.
/// The status is built when the reconciler looks (for a deployment in backoff, about every 15 s), so the number is
/// rendered again when the status is read (<see cref="AsOf"/>), from <see cref="DeploymentStatus.RestartAt"/>: what
/// <c>ls</c>, <c>get</c>, the API and the console show counts down to the restart instead of holding for 15 s.
/// </summary>
public static class RestartCountdown
{
    /// <summary><c>; restarting in 7s</c> (whole seconds, rounded up) before <paramref name="until"/>, <c>; restarting</c> from then on.</summary>
    public static string Text(DateTimeOffset until, DateTimeOffset now) =>
        until > now
            ? string.Create(CultureInfo.InvariantCulture, $"; restarting in {Math.Ceiling((until - now).TotalSeconds)}s")
            : "; restarting";

    /// <summary>
    /// <paramref name="status"/> as of <paramref name="now"/>: the countdown its message ended with when it was built (at
    /// <see cref="DeploymentStatus.ObservedAt"/>) counted again to <see cref="DeploymentStatus.RestartAt"/>; unchanged when
    /// it has none.
    /// </summary>
    public static DeploymentStatus AsOf(DeploymentStatus status, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (status.RestartAt is not { } until)
        {
            return status;
        }

        var built = Text(until, status.ObservedAt);
        var fresh = Text(until, now < status.ObservedAt ? status.ObservedAt : now);
        return fresh == built || !status.Message.EndsWith(built, StringComparison.Ordinal)
            ? status
            : status with { Message = string.Concat(status.Message.AsSpan(0, status.Message.Length - built.Length), fresh) };
    }
}
