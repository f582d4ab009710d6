namespace GradientNode.Daemon.Api;

/// <summary>
/// How many container logs the node follows at once for <c>logs -f</c> and <c>workflows logs -f</c>, all callers
/// together (<c>--max-log-follows</c>, <c>0</c> = no limit). The engine gives every followed <c>json-file</c> log an
/// inotify instance of its own, which counts against root's per-user limit (<c>fs.inotify.max_user_instances</c>,
/// 128 by default): 64 followed two-replica deployments from the socket group took all of them, and root's other
/// programs could watch nothing more (found by the fifth adversary review). Non-followed <c>logs</c> are not counted.
/// </summary>
internal sealed class LogFollowLimit
{
    /// <summary>Half of the kernel's default <c>max_user_instances</c>, leaving the rest to root's other programs.</summary>
    public const int DefaultMax = 64;

    private readonly object _gate = new();
    private int _taken;

    public LogFollowLimit(int max)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        Max = max;
    }

    /// <summary>The limit; <c>0</c>: none.</summary>
    public int Max { get; }

    /// <summary>Container logs followed now.</summary>
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

    /// <summary>One lease per container, all or none: null when <paramref name="count"/> more do not fit now.</summary>
    public IReadOnlyList<LogFollowLease>? TryTake(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_gate)
        {
            if (Max > 0 && _taken + count > Max)
            {
                return null;
            }

            _taken += count;
        }

        return Enumerable.Range(0, count).Select(_ => new LogFollowLease(this)).ToList();
    }

    /// <summary>The text of a refusal: how many the node follows, the limit and what to do.</summary>
    public string Refusal(int asked) =>
        $"the node follows {Taken} container logs now and at most {Max} at once (--max-log-follows): following {asked} more does not fit; " +
        "stop another 'logs -f', follow one replica (--replica) or job (--job), or read without -f";

    internal void Release()
    {
        lock (_gate)
        {
            _taken--;
        }
    }
}
