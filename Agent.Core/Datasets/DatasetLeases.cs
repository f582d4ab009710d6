namespace GradientNode.Core.Datasets;

/// <summary>
/// Which versions are held, and by whom: a holder (a workflow run, <c>workflow 'train' run 3</c>) holds every version it
/// resolved until it lets go of them all at once. A version held by anyone is not removed (<see cref="DatasetStore.Remove"/>
/// refuses naming the holders; gc skips it). Holding twice is holding once. In memory: after a restart the daemon holds
/// again what its unfinished runs' records name (docs/design/datasets.md).
/// </summary>
public sealed class DatasetLeases
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SortedSet<string>> _holders = new(StringComparer.Ordinal);

    /// <summary>Holds <paramref name="versionId"/> (<c>NAME:VERSION</c>) for <paramref name="holder"/>.</summary>
    public void Hold(string holder, string versionId)
    {
        ArgumentException.ThrowIfNullOrEmpty(holder);
        ArgumentException.ThrowIfNullOrEmpty(versionId);
        lock (_lock)
        {
            if (!_holders.TryGetValue(versionId, out var holders))
            {
                _holders[versionId] = holders = new SortedSet<string>(StringComparer.Ordinal);
            }

            holders.Add(holder);
        }
    }

    /// <summary>Lets go of every version <paramref name="holder"/> holds; returns how many it held.</summary>
    public int Release(string holder)
    {
        ArgumentException.ThrowIfNullOrEmpty(holder);
        lock (_lock)
        {
            var released = 0;
            foreach (var (version, holders) in _holders.ToList())
            {
                if (holders.Remove(holder))
                {
                    released++;
                }

                if (holders.Count == 0)
                {
                    _holders.Remove(version);
                }
            }

            return released;
        }
    }

    /// <summary>Who holds <paramref name="versionId"/>, in order; empty when nobody does.</summary>
    public IReadOnlyList<string> HoldersOf(string versionId)
    {
        lock (_lock)
        {
            return _holders.TryGetValue(versionId, out var holders) ? [.. holders] : [];
        }
    }

    /// <summary>The held versions of dataset <paramref name="name"/> with their holders, by version id.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> HeldOf(string name)
    {
        var prefix = name + ":";
        lock (_lock)
        {
            return _holders.Where(h => h.Key.StartsWith(prefix, StringComparison.Ordinal))
                .OrderBy(h => h.Key, StringComparer.Ordinal)
                .ToDictionary(h => h.Key, h => (IReadOnlyList<string>)[.. h.Value], StringComparer.Ordinal);
        }
    }

    /// <summary>The versions <paramref name="holder"/> holds, in order.</summary>
    public IReadOnlyList<string> HeldBy(string holder)
    {
        lock (_lock)
        {
            return [.. _holders.Where(h => h.Value.Contains(holder)).Select(h => h.Key).Order(StringComparer.Ordinal)];
        }
    }

    /// <summary>Why <paramref name="versionId"/> may not be removed (<see cref="DatasetError.InUse"/>, naming its holders); null when nobody holds it.</summary>
    public DatasetException? RefusalOf(string versionId) => HoldersOf(versionId) is { Count: > 0 } holders
        ? new DatasetException(
            DatasetError.InUse,
            $"dataset version '{versionId}' is held by {string.Join(", ", holders)}, which resolved it and has not ended (a run keeps the versions it resolved until it ends); wait for the run to end or cancel it, nothing was removed")
        : null;

    /// <summary>Why dataset <paramref name="name"/> may not be removed as a whole (each held version with its holders); null when none is held.</summary>
    public DatasetException? RefusalOfDataset(string name) => HeldOf(name) is { Count: > 0 } held
        ? new DatasetException(
            DatasetError.InUse,
            $"dataset '{name}' has versions held by workflow runs that resolved them and have not ended: {string.Join(", ", held.Select(h => $"{h.Key} by {string.Join(", ", h.Value)}"))}; wait for the runs to end or cancel them, nothing was removed")
        : null;
}
