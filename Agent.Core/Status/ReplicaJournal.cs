using System.Collections.Concurrent;
using GradientNode.Core.Common;

namespace GradientNode.Core.Status;

/// <summary>
/// Memory of instances (<c>&lt;slug&gt;-&lt;index&gt;</c>) across container replacements: a bounded history of lifecycle
/// states and the last log lines of the last container that exited. In memory, except each instance's last history entry,
/// which is kept in <c>&lt;state-dir&gt;/replica-states.json</c> when a path is given (the daemon), so that a restart does not
/// take its first look at a replica for a change of state: CHANGED (<c>ls -o wide</c>) and the last history entry mean
/// the same before and after it. Before, a restart emptied the history and CHANGED showed the restart. The latest
/// <c>failed</c> entry before the last is kept too (<see cref="SavedReplicaState.LastFailure"/>): a running replica's
/// "the container before it was killed: out of memory" line comes from it, and a restart forgot it.
/// </summary>
public sealed class ReplicaJournal : IDisposable
{
    public const int MaxHistory = 20;
    public const int LogLines = 10;

    /// <summary>The file under the state dir.</summary>
    public const string FileName = "replica-states.json";

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly string? _path;
    private readonly Action<string, Dictionary<string, SavedReplicaState>> _write = WriteDurably;
    private readonly CoalescedWrites? _writing;
    private readonly StateWriteProblems? _writes;

    /// <summary>A journal in memory only (tests, tools).</summary>
    public ReplicaJournal()
    {
    }

    /// <summary>
    /// A journal that keeps each instance's last entry in <paramref name="path"/>: read now (a damaged file is kept aside
    /// with warning 1402 and the node starts from what it sees), written atomically when an instance gets a new entry or goes.
    /// </summary>
    public ReplicaJournal(string path, StateFileDamage damage, TimeProvider? time = null)
        : this(path, damage, WriteDurably, time)
    {
    }

    /// <summary>A journal whose file is written by <paramref name="write"/> (tests that count or hold the writes).</summary>
    internal ReplicaJournal(string path, StateFileDamage damage, Action<string, Dictionary<string, SavedReplicaState>> write, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(damage);
        _write = write;
        _writing = new CoalescedWrites(WriteNow, WriteInterval, time);
        _path = path;
        _writes = damage.Writes;
        var saved = damage.Read(path, ReplicaJournalJsonContext.Default.DictionaryStringSavedReplicaState, "the replicas' last changes of state are not known: CHANGED and each replica's history start again from what the node sees now");
        foreach (var (id, last) in saved ?? [])
        {
            if (last is { State: not null })
            {
                var entry = new Entry();
                if (last.LastFailure is { State: not null } failure)
                {
                    entry.History.Add(failure);
                }

                entry.History.Add(last.ToLast());
                _entries[id] = entry;
            }
        }
    }

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

        Save();
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

        Save();
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

    /// <summary>
    /// The deployments it remembers instances of (read back from the file after a restart, too), so that the resync looks at
    /// each once: a deployment removed while the daemon was down, with no container left, is otherwise never reconciled
    /// again, and its entries stayed in the file for good.
    /// </summary>
    public IReadOnlyCollection<string> Slugs =>
        [.. _entries.Keys.Select(id => id.LastIndexOf('-') is > 0 and var dash ? id[..dash] : id).Distinct(StringComparer.Ordinal)];

    /// <summary>Drops the instances of <paramref name="slug"/> not in <paramref name="keep"/>.</summary>
    public void Prune(string slug, IReadOnlySet<string> keep)
    {
        var removed = false;
        foreach (var id in _entries.Keys.Where(k => IsInstanceOf(k, slug) && !keep.Contains(k)))
        {
            removed |= _entries.TryRemove(id, out _);
        }

        if (removed)
        {
            Save();
        }
    }

    /// <summary>
    /// How long a change waits before the file is written: the changes of that second are written together, so the file is
    /// written at most once a second. Before, each change was written as soon as the write before it ended: 50 deployments
    /// whose readiness flapped once a second each rewrote the file, flushed to disk, about 43 times a second (mends16).
    /// </summary>
    public static readonly TimeSpan WriteInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Writes now what is pending and waits until every change made so far is in the file (tests; <see cref="Dispose"/> at
    /// the daemon's stop, so the last state is written however recent it is).
    /// </summary>
    public void Flush() => _writing?.Flush();

    /// <summary>Writes what is still pending before the daemon exits.</summary>
    public void Dispose() => Flush();

    /// <summary>
    /// Asks for the file to be written with each instance's last entry. The write is the node's other state files' (temp
    /// file, flushed to disk, renamed, the folder flushed: a power loss leaves the old or the new file, and CHANGED is not set
    /// back), and it runs off the caller's path (a reconcile pass records many replicas at once): one write at a time,
    /// <see cref="WriteInterval"/> after the first change not yet written, with every change made until then, so the file
    /// is written at most once a second and a burst of changes costs one write; <see cref="Flush"/> (the daemon's stop)
    /// writes at once (<see cref="CoalescedWrites"/>). A crash loses at most the last second's changes (the file is the one
    /// before them, whole). A failed write (a full disk) keeps the file as it was: the next change writes it again.
    /// </summary>
    private void Save() => _writing?.Request();

    private void WriteNow()
    {
        try
        {
            _write(_path!, LastEntries());
            _writes?.Written(_path!);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // kept in memory; written again at the next change
            _writes?.Failed(_path!, ex, "each replica's last change of state is kept in memory: after a restart of the daemon, CHANGED and the replicas' histories would start again from what it sees");
        }
    }

    private Dictionary<string, SavedReplicaState> LastEntries()
    {
        var last = new Dictionary<string, SavedReplicaState>(StringComparer.Ordinal);
        foreach (var (id, entry) in _entries)
        {
            lock (entry)
            {
                if (entry.History.Count > 0)
                {
                    last[id] = SavedReplicaState.Of(entry.History);
                }
            }
        }

        return last;
    }

    private static void WriteDurably(string path, Dictionary<string, SavedReplicaState> last) =>
        JsonStateFile.Write(path, last, ReplicaJournalJsonContext.Default.DictionaryStringSavedReplicaState);

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
