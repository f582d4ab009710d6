using GradientNode.Core.Common;

namespace GradientNode.Core.Reconciliation;

/// <summary>
/// The crash counters of each replica slot (deployment and index) as last seen, so that a slot whose container vanished
/// (<c>docker rm -f</c> behind the node's back, a prune, a create that failed after its exited predecessor was removed)
/// gets its next container as a restart of that slot: <c>gradient.restarts</c> carries on from the one it replaces.
/// Before, the counters lived only in the removed container's labels and the slot started again at 0 restarts.
/// Only a container of the version being created counts (a new spec version starts at 0, as always); a slot the
/// deployment no longer keeps (scaled down, disabled, removed) is forgotten, so a later scale-up starts it afresh.
/// With a path (the daemon), the counts are kept in <c>&lt;state-dir&gt;/slot-counters.json</c> (0600, atomic replace),
/// written only when one changes, so that a container removed while the daemon is down is still a restart of its slot
/// at the next start (before, it started again at 0). The write is coalesced as <c>replica-states.json</c>'s is
/// (<see cref="CoalescedWrites"/>: off the reconcile path, at most once per <see cref="WriteInterval"/>, flushed at the
/// daemon's stop by <see cref="Dispose"/>): a rollout or many deployments scaling changed counts at each pass of each
/// deployment, and each change rewrote and flushed the whole file on the reconcile worker (faults15). A damaged file is kept aside with one warning (1402) and read as
/// empty; a file over <see cref="MaxFileBytes"/> too; at most <see cref="MaxSlots"/> slots are kept. Thread-safe.
/// </summary>
public sealed class SlotCounters : IDisposable
{
    /// <summary>The file under the state dir.</summary>
    public const string FileName = "slot-counters.json";

    /// <summary>The most slots kept (in memory and in the file); beyond it a new deployment's slots are not remembered.</summary>
    public const int MaxSlots = 10_000;

    /// <summary>A larger file is not read (a slot takes about 200 bytes).</summary>
    public const long MaxFileBytes = 4 << 20;

    /// <summary>How long a change waits before the file is written with every change made until then.</summary>
    public static readonly TimeSpan WriteInterval = TimeSpan.FromSeconds(1);

    private const string Without = "replicas removed while the daemon was down start again at 0 restarts";
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Dictionary<int, SlotCount>> _slots = new(StringComparer.Ordinal);
    private readonly string? _path;
    private bool _unsaved;
    private readonly StateWriteProblems? _writes;
    private readonly Action<string, Dictionary<string, Dictionary<int, SlotCount>>> _write = WriteDurably;
    private readonly CoalescedWrites? _saves;

    /// <summary>Counters in memory only (tests, tools).</summary>
    public SlotCounters()
    {
    }

    /// <summary>Counters kept in <paramref name="path"/>: read now (a damaged or oversized file is kept aside and named by <paramref name="damage"/>).</summary>
    public SlotCounters(string path, StateFileDamage damage, TimeProvider? time = null)
        : this(path, damage, WriteDurably, time)
    {
    }

    /// <summary>Counters whose file is written by <paramref name="write"/> (tests that count the writes).</summary>
    internal SlotCounters(string path, StateFileDamage damage, Action<string, Dictionary<string, Dictionary<int, SlotCount>>> write, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(damage);
        _path = path;
        _writes = damage.Writes;
        _write = write;
        _saves = new CoalescedWrites(Save, WriteInterval, time);
        foreach (var (slug, slots) in Load(path, damage))
        {
            var kept = slots.Where(s => s.Key >= 0 && s.Value is { Plausible: true }).Take(MaxSlots - Count).ToDictionary();
            if (slug.Length > 0 && kept.Count > 0)
            {
                _slots[slug] = kept;
            }
        }
    }

    /// <summary>The deployments with a remembered slot (read back from the file too): the resync looks at each, and one that no longer exists is forgotten.</summary>
    public IReadOnlyCollection<string> Slugs
    {
        get
        {
            lock (_gate)
            {
                return [.. _slots.Keys];
            }
        }
    }

    private int Count => _slots.Values.Sum(s => s.Count);

    /// <summary>
    /// Keeps, for each index in <paramref name="kept"/>, the newest container of <paramref name="hash"/> observed there
    /// (an index with none keeps what was seen before), and forgets the indexes not kept.
    /// </summary>
    public void Remember(string slug, string hash, IReadOnlyCollection<int> kept, IReadOnlyList<ObservedReplica> observed)
    {
        ArgumentNullException.ThrowIfNull(kept);
        ArgumentNullException.ThrowIfNull(observed);
        bool changed;
        lock (_gate)
        {
            var before = _slots.TryGetValue(slug, out var old) ? old : [];
            var slots = before.Where(s => kept.Contains(s.Key)).ToDictionary();
            var others = Count - before.Count; // the other deployments' slots, summed once rather than per index
            foreach (var index in kept)
            {
                if (observed.Where(r => r.Index == index && r.SpecHash == hash).MaxBy(r => r.Created) is { } latest
                    && (slots.ContainsKey(index) || others + slots.Count < MaxSlots))
                {
                    slots[index] = SlotCount.Of(latest);
                }
            }

            changed = slots.Count != before.Count || slots.Any(s => !before.TryGetValue(s.Key, out var was) || was != s.Value);
            if (slots.Count == 0)
            {
                _slots.Remove(slug);
            }
            else
            {
                _slots[slug] = slots;
            }
        }

        SaveIf(changed);
    }

    /// <summary>
    /// <paramref name="plan"/> with each create of a fresh replica at an index that has no container of
    /// <paramref name="hash"/> but had one (remembered) given that one's counters, one restart more: a removed running
    /// replica keeps its consecutive-crash count (reset after a healthy run, as an exit's is) and has no exit code; a
    /// removed exited one counts as its exit would have.
    /// </summary>
    public ReconcilePlan Carry(string slug, string hash, ReconcilePlan plan, IReadOnlyList<ObservedReplica> observed, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(observed);
        lock (_gate)
        {
            if (!_slots.TryGetValue(slug, out var slots))
            {
                return plan;
            }

            return plan with
            {
                Steps = [.. plan.Steps.Select(step => step is CreateReplica { Restarts: 0, Crashes: 0, LastExitCode: null } create
                    && !observed.Any(r => r.Index == create.Index && r.SpecHash == hash)
                    && slots.TryGetValue(create.Index, out var gone) && gone.Hash == hash
                        ? CarriedOn(create.Index, gone, now)
                        : step)],
            };
        }
    }

    public void Forget(string slug)
    {
        bool removed;
        lock (_gate)
        {
            removed = _slots.Remove(slug);
        }

        SaveIf(removed);
    }

    private static CreateReplica CarriedOn(int index, SlotCount gone, DateTimeOffset now)
    {
        if (!gone.Running)
        {
            return new CreateReplica(index, gone.Restarts + 1, CrashBackoff.CrashesAfter(gone.Crashes, gone.StartedAt, gone.FinishedAt), gone.ExitCode);
        }

        var healthy = gone.StartedAt is { } started && now - started >= CrashBackoff.HealthyRun;
        return new CreateReplica(index, gone.Restarts + 1, healthy ? 0 : gone.Crashes);
    }

    /// <summary>Writes what is pending now and waits for it (tests; <see cref="Dispose"/> at the daemon's stop).</summary>
    public void Flush() => _saves?.Flush();

    /// <summary>Writes what is still pending before the daemon exits.</summary>
    public void Dispose() => _saves?.Dispose();

    /// <summary>
    /// Asks for the file to be written when a count changed, or when the last write failed (a full disk: the counts stay
    /// in memory and the next pass asks again). The write runs later, off the caller's path, with the counts as they are then.
    /// </summary>
    private void SaveIf(bool changed)
    {
        if (_saves is not null && (changed || Volatile.Read(ref _unsaved)))
        {
            _saves.Request();
        }
    }

    private void Save()
    {
        Dictionary<string, Dictionary<int, SlotCount>> snapshot;
        lock (_gate)
        {
            snapshot = _slots.ToDictionary(s => s.Key, s => new Dictionary<int, SlotCount>(s.Value), StringComparer.Ordinal);
        }

        try
        {
            _write(_path!, snapshot);
            Volatile.Write(ref _unsaved, false);
            _writes?.Written(_path!);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Volatile.Write(ref _unsaved, true);
            _writes?.Failed(_path!, ex, "the replicas' restart counts are kept in memory: a restart of the daemon would count the restarts since from the file's older counts");
        }
    }

    private static void WriteDurably(string path, Dictionary<string, Dictionary<int, SlotCount>> slots) =>
        JsonStateFile.Write(path, slots, SlotCountersJsonContext.Default.DictionaryStringDictionaryInt32SlotCount);

    private static Dictionary<string, Dictionary<int, SlotCount>> Load(string path, StateFileDamage damage)
    {
        try
        {
            if (new FileInfo(path) is { Exists: true, Length: > MaxFileBytes } big)
            {
                damage.Report(path, $"{big.Length} bytes, more than the {MaxFileBytes} a node writes", Without);
                return [];
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // read below, which names it
        }

        return damage.Read(path, SlotCountersJsonContext.Default.DictionaryStringDictionaryInt32SlotCount, Without) ?? [];
    }
}
