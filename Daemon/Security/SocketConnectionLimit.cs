namespace GradientNode.Daemon.Security;

/// <summary>
/// Caps the API socket's open connections from callers other than root and the daemon's own user (the socket group's
/// members, all together), so that a member who opens thousands of idle or slow connections neither exhausts the
/// daemon's file handles nor locks root and the CLI out. Root and the daemon's user are not counted here; Kestrel's
/// own cap (<see cref="KestrelCap"/>) leaves them <see cref="PrivilegedReserve"/> connections above the members' cap.
/// </summary>
internal sealed class SocketConnectionLimit(uint ownUid, int maxMemberConnections, TimeProvider time)
{
    /// <summary>The default of <c>--api-max-connections</c>.</summary>
    public const int DefaultMaxMemberConnections = 256;

    /// <summary>Connections Kestrel still accepts once the members' cap is reached: root's and the daemon's own (the console host).</summary>
    public const int PrivilegedReserve = 64;

    /// <summary>At most one log line per this interval while members are refused.</summary>
    public static readonly TimeSpan ReportInterval = TimeSpan.FromMinutes(1);

    private readonly Lock _reportLock = new();
    private int _open;
    private long _refusedSinceReport;
    private long? _lastReport; // monotonic

    public int MaxMemberConnections { get; } = maxMemberConnections;

    /// <summary>Kestrel's MaxConcurrentConnections for the API listener: the members' cap plus the privileged reserve.</summary>
    public long KestrelCap => (long)MaxMemberConnections + PrivilegedReserve;

    /// <summary>Member connections open now.</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>True when <paramref name="uid"/> is root or the daemon's user: never counted against the members' cap.</summary>
    public bool IsPrivileged(uint uid) => uid == 0 || uid == ownUid;

    /// <summary>Takes a slot for a connection from <paramref name="uid"/>; false when the members' cap is reached (nothing taken).</summary>
    public bool TryEnter(uint uid)
    {
        if (IsPrivileged(uid))
        {
            return true;
        }

        if (Interlocked.Increment(ref _open) <= MaxMemberConnections)
        {
            return true;
        }

        Interlocked.Decrement(ref _open);
        Interlocked.Increment(ref _refusedSinceReport);
        return false;
    }

    /// <summary>Gives back the slot <see cref="TryEnter"/> took for <paramref name="uid"/>.</summary>
    public void Exit(uint uid)
    {
        if (!IsPrivileged(uid))
        {
            Interlocked.Decrement(ref _open);
        }
    }

    /// <summary>
    /// After a refusal: the number of refusals to log now (those since the last line), or null when a line was
    /// written less than <see cref="ReportInterval"/> ago, so that a flood writes one line a minute, not one per connection.
    /// </summary>
    public long? TakeRefusalReport()
    {
        lock (_reportLock)
        {
            // Monotonic: a step back of the wall clock silenced the refusal lines for as long.
            if (_lastReport is { } last && time.GetElapsedTime(last) < ReportInterval)
            {
                return null;
            }

            _lastReport = time.GetTimestamp();
            return Interlocked.Exchange(ref _refusedSinceReport, 0);
        }
    }
}
