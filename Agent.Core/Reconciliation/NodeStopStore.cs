using System.Collections.Concurrent;
using GradientNode.Core.Common;

namespace GradientNode.Core.Reconciliation;

/// <summary>
/// Why the node stopped a container itself (a startup or liveness probe past its threshold, a lost GPU, a lost network
/// address), keyed by container id, in <c>&lt;state-dir&gt;/node-stops.json</c> (0600): the exited container's exit code
/// says nothing (an app that exits 0 on SIGTERM read as "exited with code 0"), and a label cannot be added to a container
/// that exists, so the reason is kept beside it and survives a daemon restart. A record goes with its container: when
/// <see cref="PlanExecutor"/> removes it, when an observation of its deployment no longer sees it, and when the
/// reconciler's resync lists the node's containers without it (<see cref="Prune"/>).
/// </summary>
public sealed class NodeStopStore
{
    public const string FileName = "node-stops.json";
    private readonly ConcurrentDictionary<string, NodeStop> _stops;
    private readonly string? _path;
    private readonly Lock _writeGate = new();

    /// <param name="stateDir">Where node-stops.json lives; null keeps the records in memory (tests).</param>
    /// <param name="damage">Keeps a damaged file aside and names it (default: unlogged).</param>
    public NodeStopStore(string? stateDir = null, StateFileDamage? damage = null)
    {
        _path = stateDir is null ? null : Path.Combine(stateDir, FileName);
        _stops = new ConcurrentDictionary<string, NodeStop>(Load(_path, damage ?? StateFileDamage.Unlogged), StringComparer.Ordinal);
    }

    /// <summary>Records why the node stops <paramref name="containerId"/>, before it stops it.</summary>
    public void Record(string slug, string containerId, string reason, DateTimeOffset at)
    {
        _stops[containerId] = new NodeStop(slug, reason, at);
        Save();
    }

    /// <summary>Why the node stopped <paramref name="containerId"/>; null when it did not (the container ended on its own).</summary>
    public string? ReasonOf(string containerId) => _stops.GetValueOrDefault(containerId)?.Reason;

    /// <summary>Drops the record of a removed container.</summary>
    public void Forget(string containerId)
    {
        if (_stops.TryRemove(containerId, out _))
        {
            Save();
        }
    }

    /// <summary>Drops the records of <paramref name="slug"/>'s containers that are not among <paramref name="containerIds"/> (removed meanwhile).</summary>
    public void Keep(string slug, IReadOnlySet<string> containerIds)
    {
        ArgumentNullException.ThrowIfNull(containerIds);
        var gone = _stops.Where(p => p.Value.Slug == slug && !containerIds.Contains(p.Key)).Select(p => p.Key).ToList();
        var removed = gone.Count(id => _stops.TryRemove(id, out _));
        if (removed > 0)
        {
            Save();
        }
    }

    /// <summary>The containers with a record now; take them before listing the containers, for <see cref="Prune"/>.</summary>
    public IReadOnlyCollection<string> ContainerIds => [.. _stops.Keys];

    /// <summary>
    /// Drops the records among <paramref name="recorded"/> (taken before the listing) whose container is not in
    /// <paramref name="existing"/> (all of this node's containers): removed by hand, or with a deployment whose name is
    /// never observed again, which <see cref="Keep"/> never sees. A record made after the listing is left alone.
    /// </summary>
    public void Prune(IEnumerable<string> recorded, IReadOnlySet<string> existing)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        ArgumentNullException.ThrowIfNull(existing);
        var removed = recorded.Where(id => !existing.Contains(id)).Count(id => _stops.TryRemove(id, out _));
        if (removed > 0)
        {
            Save();
        }
    }

    private void Save()
    {
        if (_path is null)
        {
            return;
        }

        lock (_writeGate)
        {
            var snapshot = new Dictionary<string, NodeStop>(_stops, StringComparer.Ordinal);

            // Not written: the reason stays in memory; after a restart the exit code shows instead.
            _ = JsonStateFile.TryWrite(_path, snapshot, NodeStopJsonContext.Default.DictionaryStringNodeStop);
        }
    }

    /// <summary>A missing, unreadable or damaged file (kept aside, named): no records (the exit codes show instead).</summary>
    private static Dictionary<string, NodeStop> Load(string? path, StateFileDamage damage) =>
        path is null ? [] : damage.Read(path, NodeStopJsonContext.Default.DictionaryStringNodeStop, Without) ?? [];

    private const string Without = "containers the node stopped itself (a failed probe, a lost GPU or address) show their exit code instead of the reason until they are replaced";
}
