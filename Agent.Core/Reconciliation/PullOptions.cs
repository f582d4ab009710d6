namespace GradientNode.Core.Reconciliation;

/// <summary>How background image pulls are guarded: a pull with no progress for <see cref="StallTimeout"/> is stopped; failures retry with backoff.</summary>
public sealed record PullOptions
{
    public static readonly TimeSpan DefaultStallTimeout = TimeSpan.FromMinutes(2);

    /// <summary>A pull whose stream says nothing for this long is cancelled and fails (<c>--pull-stall-timeout</c>).</summary>
    public TimeSpan StallTimeout { get; init; } = DefaultStallTimeout;

    public TimeSpan FirstRetry { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan MaxRetry { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Backoff after <paramref name="failures"/> failed attempts: doubling from <see cref="FirstRetry"/>, capped at <see cref="MaxRetry"/>.</summary>
    public TimeSpan RetryAfter(int failures)
    {
        var wait = FirstRetry * Math.Pow(2, Math.Clamp(failures - 1, 0, 16));
        return wait > MaxRetry ? MaxRetry : wait;
    }
}
