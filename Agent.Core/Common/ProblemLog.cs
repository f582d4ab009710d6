namespace GradientNode.Core.Common;

/// <summary>
/// When to log a problem that is met again and again (a write retried on a full disk, an API call in a loop): once,
/// again when it changes, with <c>again</c> once more per that interval while it lasts, and whether it is gone. A
/// problem is known by its key, not its words, where the words differ at each try (a full disk's message names the
/// temp file of that try); without a key its words are its key. It decides and remembers; the caller logs, with its
/// own event ids. With <c>remembered</c> 1 a new problem replaces the one before (a worker has one problem at a time);
/// more keep that many distinct problems each on its own clock (past it the older half is forgotten, and may be logged
/// again). Shared by the spec directory's state writes (1103/1104), the route table's writes (1202/1203) and the
/// API's file problems (4070).
/// </summary>
public sealed class ProblemLog(TimeProvider time, TimeSpan? again = null, int remembered = 1)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _loggedAt = new(StringComparer.Ordinal);
    private string? _current;

    /// <summary>The words of the problem reported last, until <see cref="Clear"/>; null when there is none.</summary>
    public string? Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    /// <summary>Records <paramref name="problem"/>; true when the caller is to log it now.</summary>
    public bool Report(string problem, string? key = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        key ??= problem;
        lock (_gate)
        {
            _current = problem;
            var now = time.GetTimestamp();
            if (_loggedAt.TryGetValue(key, out var at))
            {
                if (again is not { } every || time.GetElapsedTime(at, now) < every)
                {
                    return false;
                }
            }
            else if (_loggedAt.Count >= Math.Max(1, remembered))
            {
                foreach (var oldest in _loggedAt.OrderBy(p => p.Value).Take(Math.Max(1, remembered / 2)).Select(p => p.Key).ToList())
                {
                    _loggedAt.Remove(oldest);
                }
            }

            _loggedAt[key] = now;
            return true;
        }
    }

    /// <summary>The problem is gone; true when there was one (the caller logs that it is gone).</summary>
    public bool Clear()
    {
        lock (_gate)
        {
            var had = _current is not null;
            _current = null;
            _loggedAt.Clear();
            return had;
        }
    }
}
