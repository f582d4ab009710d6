using System.Collections.Concurrent;
using System.Globalization;

namespace GradientNode.Proxy.Forwarding;

/// <summary>
/// Bounds the proxy's warnings about a deployment's replicas (3021, 3022, 3025): the first line of an event for a
/// deployment (for 3025, a replica of it) is written, then at most one per <see cref="Interval"/>, which says how many were left out since the last
/// one written ("; 41 more since 15:02:07Z"). A deployment whose replicas keep failing (dead while dockerd is down, or
/// resetting each connection) wrote a line per failed request, or about 3 every cooldown (faults15). Counts on the
/// monotonic clock; the time shown is the wall clock's. Event ids and the lines' other words stay as they were.
/// </summary>
internal sealed class RepeatedFailureLog(TimeProvider time)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    /// <summary>Keys kept before those idle for an interval are dropped (deployments × events: a few per deployment).</summary>
    private const int MaxKeys = 4096;

    private readonly ConcurrentDictionary<(string Deployment, int EventId, string Subject), Entry> _entries = new();

    /// <summary>
    /// Whether the line of <paramref name="eventId"/> for <paramref name="deployment"/> is written now; when it is,
    /// <paramref name="repeats"/> is what to append to it ("" for the first, else how many were left out and since when).
    /// <paramref name="subject"/> counts apart what is not the same failure (a replica taken out is not another one).
    /// </summary>
    public bool ShouldLog(string deployment, int eventId, out string repeats, string? subject = null)
    {
        var now = time.GetTimestamp();
        var entry = _entries.GetOrAdd((deployment, eventId, subject ?? string.Empty), static _ => new Entry());
        lock (entry)
        {
            if (entry.LoggedAt is { } last && time.GetElapsedTime(last, now) < Interval)
            {
                entry.Skipped++;
                repeats = string.Empty;
                return false;
            }

            repeats = entry.Skipped == 0
                ? string.Empty
                : string.Create(CultureInfo.InvariantCulture, $"; {entry.Skipped} more since {entry.LoggedWall:HH:mm:ss}Z (logged at most once a minute per deployment)");
            entry.LoggedAt = now;
            entry.LoggedWall = time.GetUtcNow().UtcDateTime;
            entry.Skipped = 0;
        }

        if (_entries.Count > MaxKeys)
        {
            Sweep(now);
        }

        return true;
    }

    private void Sweep(long now)
    {
        foreach (var (key, entry) in _entries)
        {
            lock (entry)
            {
                if (entry.LoggedAt is { } last && time.GetElapsedTime(last, now) >= Interval && entry.Skipped == 0)
                {
                    _entries.TryRemove(key, out _);
                }
            }
        }
    }

    private sealed class Entry
    {
        public long? LoggedAt; // monotonic
        public DateTime LoggedWall;
        public int Skipped;
    }
}
