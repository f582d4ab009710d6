using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;

namespace GradientNode.Proxy.Auth;

/// <summary>
/// Caps password guessing against protected deployments: after <see cref="ProxyOptions.AuthFailureLimit"/> wrong
/// passwords from one client (address group, see <see cref="AuthFailureKey"/>) for one deployment within
/// <see cref="ProxyOptions.AuthFailureWindow"/>, that client is locked out of that deployment for the same length of
/// time: the gateway answers 429 without reading its password. A success resets nothing; other clients and other
/// deployments are not affected.
/// <para>
/// Cost: the success path reads one counter while no client has failed, else one lock-free dictionary lookup; nothing
/// is allocated. Failures take a short per-entry lock. Expired entries are swept once per window (on the thread pool).
/// </para>
/// <para>
/// Memory: at most about <see cref="ProxyOptions.AuthFailureTableSize"/> clients are tracked (plus one shared entry per
/// deployment). When the table is full, the expired entries go, then those that are not locked out (their partial
/// counts: an attacker gains at most limit−1 guesses per client for the table-size failures it spent to evict them).
/// A live lockout is never evicted. Clients that still find no room share one entry per deployment (fail closed):
/// while an attacker holds the whole table in lockouts, new clients of the deployment it attacks share one budget of
/// guesses, so a legitimate user from a new address may get 429 until the lockouts expire. A full table is swept at
/// most once a second.
/// </para>
/// </summary>
internal sealed partial class AuthFailureLimiter : IThreadPoolWorkItem
{
    private readonly ConcurrentDictionary<AuthFailureKey, AuthFailureEntry> _entries = new();
    private readonly ConcurrentDictionary<string, AuthFailureEntry> _overflow = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly int _limit;
    private readonly int _capacity;
    private readonly long _window;
    private readonly long _second;
    private readonly TimeSpan _windowSpan;
    private readonly Lock _sweepGate = new();
    private readonly Lock _logGate = new();
    private int _tracked;
    private int _overflowed;
    private long _nextSweep;
    private long _nextFullSweep;
    private long _logWindowEnd;
    private int _logged;
    private int _suppressed;
    private long _tableFullLoggedUntil;

    public AuthFailureLimiter(ProxyOptions options, ILogger<AuthFailureLimiter> logger)
    {
        _time = options.TimeProvider;
        _logger = logger;
        _limit = options.AuthFailureLimit;
        _capacity = options.AuthFailureTableSize;
        _windowSpan = options.AuthFailureWindow;
        _second = _time.TimestampFrequency;
        _window = Math.Max(1, (long)(options.AuthFailureWindow.TotalSeconds * _second));
    }

    /// <summary>At most this many lockouts are logged per window; the next logged one says how many were not.</summary>
    internal const int LoggedLockoutsPerWindow = 100;

    /// <summary>Clients tracked now (the shared per-deployment entries not included).</summary>
    internal int Tracked => Volatile.Read(ref _tracked);

    /// <summary>
    /// Whether <paramref name="client"/> is locked out of <paramref name="deployment"/> now; if so, for how much longer.
    /// Allocation-free and lock-free.
    /// </summary>
    public bool IsLockedOut(IPAddress? client, string deployment, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if ((Volatile.Read(ref _tracked) | Volatile.Read(ref _overflowed)) == 0)
        {
            return false;
        }

        var now = _time.GetTimestamp();
        MaybeQueueSweep(now);
        if (!_entries.TryGetValue(new AuthFailureKey(AuthFailureKey.ClientOf(client), deployment), out var entry)
            && !(Volatile.Read(ref _tracked) >= _capacity && _overflow.TryGetValue(deployment, out entry)))
        {
            return false;
        }

        var until = entry.LockedUntil;
        if (now >= until)
        {
            return false;
        }

        retryAfter = TimeSpan.FromSeconds((double)(until - now) / _second);
        return true;
    }

    /// <summary>Counts a wrong (or missing) password of <paramref name="client"/> for <paramref name="deployment"/>; logs the lockout it may start.</summary>
    public void RecordFailure(IPAddress? client, string deployment)
    {
        if (_limit == 0)
        {
            return;
        }

        var now = _time.GetTimestamp();
        MaybeQueueSweep(now);
        var key = new AuthFailureKey(AuthFailureKey.ClientOf(client), deployment);
        var shared = false;
        if (!_entries.TryGetValue(key, out var entry))
        {
            entry = TryAdd(key, now);
            if (entry is null)
            {
                shared = true;
                entry = OverflowEntry(deployment, now);
                LogTableFullOnce(now);
            }
        }

        if (entry.RecordFailure(now, _window, _limit))
        {
            LogLockoutStarted(now, shared ? "clients without room in the table" : AuthFailureKey.Describe(key.Client), deployment);
        }
    }

    /// <summary>Removes the entries that hold nothing any more (what the periodic sweep runs).</summary>
    internal void Sweep()
    {
        lock (_sweepGate)
        {
            RemoveExpired(_time.GetTimestamp());
        }
    }

    void IThreadPoolWorkItem.Execute() => Sweep();

    private AuthFailureEntry? TryAdd(AuthFailureKey key, long now)
    {
        if (Volatile.Read(ref _tracked) >= _capacity && !MakeRoom(now))
        {
            return null;
        }

        var created = new AuthFailureEntry(now);
        var entry = _entries.GetOrAdd(key, created);
        if (ReferenceEquals(entry, created))
        {
            Interlocked.Increment(ref _tracked);
        }

        return entry;
    }

    private AuthFailureEntry OverflowEntry(string deployment, long now)
    {
        if (_overflow.TryGetValue(deployment, out var entry))
        {
            return entry;
        }

        var created = new AuthFailureEntry(now);
        entry = _overflow.GetOrAdd(deployment, created);
        if (ReferenceEquals(entry, created))
        {
            Interlocked.Increment(ref _overflowed);
        }

        return entry;
    }

    /// <summary>The table is full: drops expired entries, then those not locked out; at most once a second. True when there is room.</summary>
    private bool MakeRoom(long now)
    {
        if (now < Volatile.Read(ref _nextFullSweep) || !_sweepGate.TryEnter())
        {
            return false;
        }

        try
        {
            RemoveExpired(now);
            if (Volatile.Read(ref _tracked) >= _capacity)
            {
                foreach (var (key, entry) in _entries)
                {
                    if (now >= entry.LockedUntil)
                    {
                        Remove(key, entry);
                    }
                }
            }

            var room = Volatile.Read(ref _tracked) < _capacity;
            Volatile.Write(ref _nextFullSweep, now + _second);
            return room;
        }
        finally
        {
            _sweepGate.Exit();
        }
    }

    private void RemoveExpired(long now)
    {
        foreach (var (key, entry) in _entries)
        {
            if (entry.IsExpired(now, _window))
            {
                Remove(key, entry);
            }
        }

        foreach (var (deployment, entry) in _overflow)
        {
            if (entry.IsExpired(now, _window) && _overflow.TryRemove(new KeyValuePair<string, AuthFailureEntry>(deployment, entry)))
            {
                Interlocked.Decrement(ref _overflowed);
            }
        }
    }

    private void Remove(AuthFailureKey key, AuthFailureEntry entry)
    {
        // Only this very entry: one a failure re-created meanwhile stays. A failure counted into an entry being
        // removed is lost (at most one per client, and only for an entry that had expired or was evicted).
        if (_entries.TryRemove(new KeyValuePair<AuthFailureKey, AuthFailureEntry>(key, entry)))
        {
            Interlocked.Decrement(ref _tracked);
        }
    }

    /// <summary>Queues the periodic sweep once per window (the caller never waits for it).</summary>
    private void MaybeQueueSweep(long now)
    {
        var next = Volatile.Read(ref _nextSweep);
        if (now >= next && Interlocked.CompareExchange(ref _nextSweep, now + _window, next) == next)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }
}
