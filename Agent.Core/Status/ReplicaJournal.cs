using System.Collections.Concurrent;

namespace GradientNode.Core.Status;

/// <summary>
/// In-memory memory of instances (<c>&lt;slug&gt;-&lt;index&gt;</c>) across container replacements: a bounded history of
/// lifecycle states and the last log lines of the last container that exited. Lost on a daemon restart.
/// </summary>
public sealed class ReplicaJournal
{
    public const int MaxHistory = 20;
    public const int LogLines = 10;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>Appends <paramref name="state"/> unless it is the instance's current state (same message too).</summary>
    public void Record(string instanceId, string state, string? message, DateTimeOffset at)
    {
        var entry = _entries.GetOrAdd(instanceId, _ => new Entry());
        lock (entry)
        {
            if (entry.History.Count > 0 && entry.History[^1].State == state && (message is null || entry.History[^1].Message == message))
            {
                return;
            }

            entry.History.Add(new ReplicaEvent(state, message, at));
            if (entry.History.Count > MaxHistory)
            {
                entry.History.RemoveAt(0);
            }
        }
    }

    /// <summary>
    /// Appends <paramref name="state"/>, or when it is already the instance's current state, replaces that entry's message
    /// and keeps its time: progress within one state (a pull) takes one history entry.
    /// </summary>
    public void Update(string instanceId, string state, string? message, DateTimeOffset at)
    {
        var entry = _entries.GetOrAdd(instanceId, _ => new Entry());
        lock (entry)
        {
            if (entry.History.Count > 0 && entry.History[^1].State == state)
            {
                entry.History[^1] = entry.History[^1] with { Message = message };
                return;
            }

            entry.History.Add(new ReplicaEvent(state, message, at));
            if (entry.History.Count > MaxHistory)
            {
                entry.History.RemoveAt(0);
            }
        }
    }

    public IReadOnlyList<ReplicaEvent> History(string instanceId)
    {
        if (!_entries.TryGetValue(instanceId, out var entry))
        {
            return [];
        }

        lock (entry)
        {
            return [.. entry.History];
        }
    }

    /// <summary>The container whose last lines are kept, so they are fetched once.</summary>
    public bool HasLogsOf(string instanceId, string containerId) =>
        _entries.TryGetValue(instanceId, out var entry) && entry.LogsOf == containerId;

    public void SetLastLogLines(string instanceId, string containerId, IReadOnlyList<string> lines)
    {
        var entry = _entries.GetOrAdd(instanceId, _ => new Entry());
        lock (entry)
        {
            entry.LogsOf = containerId;
            entry.LastLogLines = lines;
        }
    }

    public IReadOnlyList<string> LastLogLines(string instanceId) =>
        _entries.TryGetValue(instanceId, out var entry) ? entry.LastLogLines : [];

    /// <summary>Drops the instances of <paramref name="slug"/> not in <paramref name="keep"/>.</summary>
    public void Prune(string slug, IReadOnlySet<string> keep)
    {
        foreach (var id in _entries.Keys.Where(k => IsInstanceOf(k, slug) && !keep.Contains(k)))
        {
            _entries.TryRemove(id, out _);
        }
    }

    /// <summary>
    /// True when <paramref name="instanceId"/> is <c>&lt;slug&gt;-&lt;index&gt;</c> of exactly <paramref name="slug"/>:
    /// <c>a-b-0</c> belongs to <c>a-b</c>, not to <c>a</c>.
    /// </summary>
    internal static bool IsInstanceOf(string instanceId, string slug) =>
        instanceId.Length > slug.Length + 1
        && instanceId.StartsWith(slug, StringComparison.Ordinal)
        && instanceId[slug.Length] == '-'
        && instanceId.AsSpan(slug.Length + 1).ContainsAnyExceptInRange('0', '9') is false;

    private sealed class Entry
    {
        public List<ReplicaEvent> History { get; } = [];

        public string? LogsOf { get; set; }

        public IReadOnlyList<string> LastLogLines { get; set; } = [];
    }
}
