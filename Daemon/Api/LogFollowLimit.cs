namespace GradientNode.Daemon.Api;

/// <summary>
/// How many container logs the node follows at once for <c>logs -f</c> and <c>workflows logs -f</c>
/// (<c>--max-log-follows</c>, <c>0</c> = no limit), and who may hold how many of them. The engine gives every followed
/// <c>json-file</c> log an inotify instance of its own, which counts against root's per-user limit
/// (<c>fs.inotify.max_user_instances</c>, 128 by default): 64 followed two-replica deployments from the socket group took
/// all of them, and root's other programs could watch nothing more (found by the fifth adversary review). Non-followed
/// <c>logs</c> are not counted.
/// <para>
/// The places are shared fairly by the caller's uid (SO_PEERCRED, <see cref="ApiCaller"/>): a quarter of them
/// (<see cref="RootReserve"/>) is kept for root and the daemon's own user, whom members never block; the socket group's
/// members share the rest (<see cref="MembersMax"/>), and no one member uid holds more than half of it
/// (<see cref="MemberShare"/>). Root and the daemon's user may take any free place. Before, every caller counted against
/// one pool, and a member holding all 64 blocked root's <c>logs -f</c> too.
/// </para>
/// </summary>
internal sealed class LogFollowLimit
{
    /// <summary>Half of the kernel's default <c>max_user_instances</c>, leaving the rest to root's other programs.</summary>
    public const int DefaultMax = 64;

    private readonly Lock _gate = new();
    private readonly Dictionary<uint, int> _held = [];
    private readonly uint _ownUid;
    private readonly Func<uint, string?> _nameOf;
    private int _taken;
    private int _members;

    /// <param name="max">The limit; <c>0</c>: none.</param>
    /// <param name="ownUid">The daemon's own user, counted as root is.</param>
    /// <param name="nameOf">A uid's account name for refusals (null: none known).</param>
    public LogFollowLimit(int max, uint ownUid = 0, Func<uint, string?>? nameOf = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        Max = max;
        _ownUid = ownUid;
        _nameOf = nameOf ?? (_ => null);
    }

    /// <summary>The limit; <c>0</c>: none.</summary>
    public int Max { get; }

    /// <summary>Places members never take: a quarter of <see cref="Max"/>, at least one when the limit is 2 or more.</summary>
    public int RootReserve => Max < 2 ? 0 : Math.Max(1, Max / 4);

    /// <summary>The places the socket group's members hold at most, all together.</summary>
    public int MembersMax => Max - RootReserve;

    /// <summary>The places one member uid holds at most: half of <see cref="MembersMax"/>, rounded up.</summary>
    public int MemberShare => (MembersMax + 1) / 2;

    /// <summary>Container logs followed now, all callers together.</summary>
    public int Taken
    {
        get
        {
            lock (_gate)
            {
                return _taken;
            }
        }
    }

    /// <summary>True for root, the daemon's own user, and an in-process caller with no socket peer (null).</summary>
    public bool IsPrivileged(uint? uid) => uid is null || uid == 0 || uid == _ownUid;

    /// <summary>Container logs <paramref name="uid"/> follows now.</summary>
    public int HeldBy(uint uid)
    {
        lock (_gate)
        {
            return _held.GetValueOrDefault(uid);
        }
    }

    /// <summary>
    /// One lease per container for caller <paramref name="uid"/> (null: in-process, no socket peer), all or none: null
    /// when <paramref name="count"/> more do not fit now, with <paramref name="refusal"/> saying which limit, who holds
    /// its places and what to do.
    /// </summary>
    public IReadOnlyList<LogFollowLease>? TryTake(uint? uid, int count, out string refusal)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var key = uid ?? 0;
        var member = !IsPrivileged(uid);
        lock (_gate)
        {
            refusal = Max == 0 ? string.Empty : RefusalLocked(key, member, count);
            if (refusal.Length > 0)
            {
                return null;
            }

            _taken += count;
            _members += member ? count : 0;
            _held[key] = _held.GetValueOrDefault(key) + count;
        }

        return Enumerable.Range(0, count).Select(_ => new LogFollowLease(this, key, member)).ToList();
    }

    internal void Release(uint key, bool member)
    {
        lock (_gate)
        {
            _taken--;
            _members -= member ? 1 : 0;
            if (--_held[key] == 0)
            {
                _held.Remove(key);
            }
        }
    }

    private string RefusalLocked(uint key, bool member, int count)
    {
        const string Advice = "stop another 'logs -f', follow one replica (--replica) or job (--job), read without -f, or have root raise --max-log-follows (node.yaml maxLogFollows)";
        var more = $"following {count} more does not fit";
        if (member && _held.GetValueOrDefault(key) + count > MemberShare)
        {
            return $"{Who(key)} follows {_held.GetValueOrDefault(key)} container logs now, and a user other than root at most {MemberShare} at once " +
                $"(half of the {MembersMax} that --max-log-follows {Max} leaves to the socket group; {RootReserve} are kept for root): {more}; {Advice}";
        }

        if (member && _members + count > MembersMax)
        {
            return $"users other than root follow {_members} container logs now, all that --max-log-follows {Max} leaves them " +
                $"({RootReserve} are kept for root): {more}; held by {Holders(onlyMembers: true)}; {Advice}";
        }

        if (_taken + count > Max)
        {
            return $"the node follows {_taken} container logs now and at most {Max} at once (--max-log-follows): {more}; held by {Holders(onlyMembers: false)}; {Advice}";
        }

        return string.Empty;
    }

    private string Holders(bool onlyMembers) =>
        string.Join(", ", _held.Where(h => !onlyMembers || !IsPrivileged(h.Key)).OrderByDescending(h => h.Value).ThenBy(h => h.Key).Select(h => $"{Who(h.Key)}: {h.Value}"));

    private string Who(uint uid) => _nameOf(uid) is { } name ? $"uid {uid} ({name})" : $"uid {uid}";
}
