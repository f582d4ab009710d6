namespace GradientNode.Core.Integrations;

/// <summary>How fetches are guarded: a fetch with no progress for <see cref="StallTimeout"/> is cancelled; failures retry with backoff.</summary>
public sealed record MaterializerOptions
{
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromMinutes(2);

    public TimeSpan FirstRetry { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan MaxRetry { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Reads <c>GN_FETCH_STALL_TIMEOUT</c> (seconds) when set.</summary>
    public static MaterializerOptions FromEnvironment(Func<string, string?> env)
    {
        ArgumentNullException.ThrowIfNull(env);
        return int.TryParse(env("GN_FETCH_STALL_TIMEOUT"), System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? new MaterializerOptions { StallTimeout = TimeSpan.FromSeconds(seconds) }
            : new MaterializerOptions();
    }

    /// <summary>Backoff after <paramref name="failures"/> failed attempts: doubling from <see cref="FirstRetry"/>, capped.</summary>
    public TimeSpan RetryAfter(int failures)
    {
        var wait = FirstRetry * Math.Pow(2, Math.Min(failures - 1, 16));
        return wait > MaxRetry ? MaxRetry : wait;
    }
}
