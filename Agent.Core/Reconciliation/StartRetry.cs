namespace GradientNode.Core.Reconciliation;

/// <summary>
/// The replicas of spec version <paramref name="SpecHash"/> could not be created or started <paramref name="Failures"/>
/// times in a row, the last time with <paramref name="Error"/>; the next attempt may run at <paramref name="NextAttempt"/>.
/// <paramref name="ReadyAtFailure"/>: how many replicas of that version were ready then (one more resets the backoff).
/// </summary>
public sealed record StartRetry(string SpecHash, int Failures, int ReadyAtFailure, DateTimeOffset NextAttempt, string Error)
{
    /// <summary>
    /// The status message: the error, then when the next attempt runs. <paramref name="now"/> is on the timeline of
    /// <see cref="NextAttempt"/> (monotonic in the daemon), <paramref name="wallNow"/> the wall clock the time of day is
    /// shown on (<paramref name="now"/> when null).
    /// </summary>
    public string Describe(DateTimeOffset now, DateTimeOffset? wallNow = null)
    {
        var left = NextAttempt - now;
        var seconds = Math.Max(0, Math.Ceiling(left.TotalSeconds));
        var at = (wallNow ?? now) + (left < TimeSpan.Zero ? TimeSpan.Zero : left);
        return $"{Error}; attempt {Failures} failed, next attempt in {seconds:F0}s (at {at.UtcDateTime:HH:mm:ss} UTC)";
    }
}
