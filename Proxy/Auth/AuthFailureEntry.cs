namespace GradientNode.Proxy.Auth;

/// <summary>
/// One client's wrong passwords for one deployment: a fixed window that starts at its first failure, and a
/// lockout that starts at the window's last allowed failure. Times are <see cref="TimeProvider.GetTimestamp"/>
/// values. Written under a short lock (failures only); <see cref="LockedUntil"/> is read without one.
/// </summary>
internal sealed class AuthFailureEntry
{
    private readonly Lock _gate = new();
    private long _windowStart;
    private int _failures;
    private long _lockedUntil;

    public AuthFailureEntry(long now) => _windowStart = now;

    /// <summary>When the lockout ends; in the past (or 0) when there is none.</summary>
    public long LockedUntil => Volatile.Read(ref _lockedUntil);

    /// <summary>Wrong passwords in the current window.</summary>
    public int Failures
    {
        get
        {
            lock (_gate)
            {
                return _failures;
            }
        }
    }

    /// <summary>Counts a wrong password; true when it is the <paramref name="limit"/>th of its window, which starts a lockout of <paramref name="window"/>.</summary>
    public bool RecordFailure(long now, long window, int limit)
    {
        lock (_gate)
        {
            if (now < _lockedUntil)
            {
                // A request that passed the lockout check just before the lockout began: counted already.
                return false;
            }

            if (_lockedUntil != 0 || now - _windowStart >= window)
            {
                _windowStart = now;
                _failures = 0;
                Volatile.Write(ref _lockedUntil, 0);
            }

            if (++_failures < limit)
            {
                return false;
            }

            Volatile.Write(ref _lockedUntil, now + window);
            return true;
        }
    }

    /// <summary>Whether the entry holds nothing any more: its window has passed and it is not locked.</summary>
    public bool IsExpired(long now, long window)
    {
        lock (_gate)
        {
            return now >= _lockedUntil && now - _windowStart >= window;
        }
    }
}
