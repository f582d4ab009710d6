namespace GradientNode.Daemon.Api;

/// <summary>
/// Where a polled log (<see cref="JobLogPoll"/>) has got to, so that each read asks the engine only for recent lines and
/// no line is shown twice or lost. A read asks for the lines logged since <see cref="Since"/> (one second before the
/// latest line shown): the engine answers them in the log's order, and the first <see cref="AlreadyShown"/> of them
/// are lines shown before (every line shown that was logged since then, counted per second). The second of margin
/// takes in the engine's stdout and stderr copiers, which stamp their lines apart and may write them a little out of
/// time order. Holds a count per second of the last two, whatever the log's size.
/// </summary>
internal sealed class LogCursor
{
    private readonly SortedDictionary<long, int> _perSecond = [];
    private long? _latest;

    /// <summary>Lines shown so far.</summary>
    public long Shown { get; private set; }

    /// <summary>The time to read from; null before any line was shown (read from the first).</summary>
    public DateTimeOffset? Since => _latest is { } latest ? DateTimeOffset.FromUnixTimeSeconds(latest - 1) : null;

    /// <summary>How many lines at the start of a read from <see cref="Since"/> were shown before.</summary>
    public int AlreadyShown => _latest is { } latest ? _perSecond.Where(s => s.Key >= latest - 1).Sum(s => s.Value) : 0;

    /// <summary>Notes a line shown, logged at <paramref name="time"/>.</summary>
    public void Add(DateTimeOffset time)
    {
        var second = time.ToUnixTimeSeconds();
        _perSecond[second] = _perSecond.GetValueOrDefault(second) + 1;
        _latest = _latest is { } latest ? Math.Max(latest, second) : second;
        Shown++;
    }

    /// <summary>Forgets the seconds a read from <see cref="Since"/> no longer returns; call after each read.</summary>
    public void Prune()
    {
        if (_latest is not { } latest)
        {
            return;
        }

        foreach (var second in _perSecond.Keys.Where(s => s < latest - 1).ToList())
        {
            _perSecond.Remove(second);
        }
    }
}
