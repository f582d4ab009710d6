namespace GradientNode.Core.Reconciliation;

/// <summary>
/// Paces the create-and-start attempts of a deployment whose replicas keep failing to start (the engine refuses an
/// option, an unknown runtime, an invalid mount): one attempt per backoff step, 15 s doubling to 5 minutes. Passes that
/// come in between (the resync, a Docker event, a probe) only observe and report. A new spec version (the spec hash, or
/// the probes' hash: the caller passes both as one), or one more ready replica of the version than at the last failure,
/// resets it. Thread-safe.
/// </summary>
internal sealed class StartRetries
{
    public static readonly TimeSpan Initial = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan Max = TimeSpan.FromMinutes(5);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, StartRetry> _retries = new(StringComparer.Ordinal);

    /// <summary>The wait after the <paramref name="failures"/>-th failed attempt in a row: 15 s, 30 s, 60 s, … at most 5 minutes.</summary>
    public static TimeSpan Delay(int failures)
    {
        var delay = Initial * Math.Pow(2, Math.Clamp(failures - 1, 0, 16));
        return delay > Max ? Max : delay;
    }

    /// <summary>
    /// The retry <paramref name="slug"/> waits for, or null when its replicas may be created now. Forgets the failures of
    /// another spec version, and those before a replica became ready (<paramref name="ready"/>: ready replicas of <paramref name="hash"/>).
    /// </summary>
    public StartRetry? Waiting(string slug, string hash, int ready, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (!_retries.TryGetValue(slug, out var retry))
            {
                return null;
            }

            if (retry.SpecHash != hash || ready > retry.ReadyAtFailure)
            {
                _retries.Remove(slug);
                return null;
            }

            if (ready < retry.ReadyAtFailure)
            {
                // A replica went down since: the next one to become ready is news again.
                _retries[slug] = retry = retry with { ReadyAtFailure = ready };
            }

            return now < retry.NextAttempt ? retry : null;
        }
    }

    /// <summary>Records a failed attempt of <paramref name="hash"/> at <paramref name="now"/>; returns when the next may run.</summary>
    public StartRetry Failed(string slug, string hash, int ready, string error, DateTimeOffset now)
    {
        lock (_gate)
        {
            var failures = _retries.TryGetValue(slug, out var last) && last.SpecHash == hash ? last.Failures + 1 : 1;
            var retry = new StartRetry(hash, failures, ready, now + Delay(failures), error);
            _retries[slug] = retry;
            return retry;
        }
    }

    /// <summary>Forgets a removed deployment.</summary>
    public void Forget(string slug)
    {
        lock (_gate)
        {
            _retries.Remove(slug);
        }
    }
}
