namespace GradientNode.Core.Reconciliation;

/// <summary>How long <see cref="ReconcilerService"/> waits before it tries a deployment again after a failed reconcile.</summary>
internal static class FailureBackoff
{
    /// <summary>After an engine outage (the last status is kept), and the first step of the backoff.</summary>
    public static readonly TimeSpan EngineRetry = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan MaxFailureRetry = TimeSpan.FromMinutes(5);

    /// <summary>Backoff after <paramref name="failures"/> unexpected failures in a row: 2 s doubling, capped at 5 minutes.</summary>
    public static TimeSpan After(int failures)
    {
        var wait = EngineRetry * Math.Pow(2, Math.Clamp(failures - 1, 0, 16));
        return wait > MaxFailureRetry ? MaxFailureRetry : wait;
    }
}
