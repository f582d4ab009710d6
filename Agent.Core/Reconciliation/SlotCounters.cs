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
/// at the next start (before, it started again at 0). A damaged file is kept aside with one warning (1402) and read as
/// empty; a file over <see cref="MaxFileBytes"/> too; at most <see cref="MaxSlots"/> slots are kept. Thread-safe.
/// </summary>
public sealed class SlotCounters
{
    /// <summary>The file under the state dir.</summary>
    public const string FileName = "slot-counters.json";

    /// <summary>The most slots kept (in memory and in the file); beyond it a new deployment's slots are not remembered.</summary>
    public const int MaxSlots = 10_000;

    /// <summary>A larger file is not read (a slot takes about 200 bytes).</summary>
    public const long MaxFileBytes = 4 << 20;

    private const string Without = "replicas removed while the daemon was down start again at 0 restarts";
    private readonly Lock _gate = new();
    private readonly Lock _writeGate = new();
    private readonly Dictionary<string, Dictionary<int, SlotCount>> _slots = new(StringComparer.Ordinal);
    private readonly string? _path;
    private bool _unsaved;
    private readonly StateWriteProblems? _writes;

    /// <summary>Counters in memory only (tests, tools).</summary>
    public SlotCounters()
    {
    }

    /// <summary>Counters kept in <paramref name="path"/>: read now (a damaged or oversized file is kept aside and named by <paramref name="damage"/>).</summary>
    public SlotCounters(string path, StateFileDamage damage)
    {
        ArgumentNullException.ThrowIfNull(damage);
        _path = path;
        _writes = damage.Writes;
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

    /// <summary>
    /// Writes the file when a count changed, or when the last write failed (a full disk: the counts stay in memory and the
    /// next pass tries again). One write at a time, each of the counts as they are when it starts.
    /// </summary>
    private void SaveIf(bool changed)
    {
        if (_path is null || !(changed || Volatile.Read(ref _unsaved)))
        {
            return;
        }

        lock (_writeGate)
        {
            Dictionary<string, Dictionary<int, SlotCount>> snapshot;
            lock (_gate)
            {
                snapshot = _slots.ToDictionary(s => s.Key, s => new Dictionary<int, SlotCount>(s.Value), StringComparer.Ordinal);
            }

            var failed = JsonStateFile.TryWrite(_path, snapshot, SlotCountersJsonContext.Default.DictionaryStringDictionaryInt32SlotCount);
            Volatile.Write(ref _unsaved, failed is not null);
            if (failed is not null)
            {
                _writes?.Failed(_path, failed, "the replicas' restart counts are kept in memory: a restart of the daemon would count the restarts since from the file's older counts");
            }
            else
            {
                _writes?.Written(_path);
            }
        }
    }

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
