using GradientNode.Core.Status;
using GradientNode.Core.Traffic;

namespace GradientNode.Core.Routing;

/// <summary>
/// Whether the proxy serves a deployment as its status shows it now. The status can be ahead of the table written by
/// up to <see cref="RoutePublisher.CoalesceWindow"/> (the changes of a burst are written together), and the proxy reads
/// the table after it is written (a watcher, at worst its 1 s poll; in a process of its own where the units split the
/// roles). Before, <c>apply --wait</c> could say "rolled out … at http://…" from a status whose replicas the proxy did
/// not serve yet, and a request sent right then got the proxy's 404 "no deployment".
/// </summary>
public sealed partial class RoutePublisher
{
    /// <summary>Per deployment in the table last written, its ready replicas (route ids, sorted).</summary>
    private Dictionary<string, string> _readyWritten = new(StringComparer.Ordinal);

    /// <summary>Per deployment, the version of the first table written with what it has now (or, gone from it, without it).</summary>
    private Dictionary<string, long> _changedAt = new(StringComparer.Ordinal);

    /// <summary>
    /// True when the route table last written has <paramref name="status"/>'s deployment with exactly its ready replicas
    /// (a deployment with none needs no route) and the proxy says it serves that table
    /// (<see cref="AppliedRoutesFile"/>; with no proxy answering, the table written is taken as served); false while the
    /// table or the proxy lags behind; null when the table cannot be written (the node's warnings say why) or was not
    /// written yet by this daemon.
    /// </summary>
    public bool? Routed(DeploymentStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var ready = ReadyIds(status.Slug, status.Replicas.Where(i => i.Address is not null && i.Ready).Select(i => (i.Index, i.ContainerId)));
        var served = AppliedRoutesFile.Read(store.Directory);
        lock (_gate)
        {
            if (_problem.Current is not null || _lastWritten is null)
            {
                return null;
            }

            var written = _readyWritten.TryGetValue(status.Slug, out var inTable) ? inTable == ready : ready.Length == 0;
            return written && (served is not { } version || version >= _changedAt.GetValueOrDefault(status.Slug));
        }
    }

    /// <summary>Called with the lock held once <paramref name="routes"/> were written as <paramref name="version"/>.</summary>
    private void RememberWritten(IEnumerable<DeploymentRoute> routes, long version)
    {
        var ready = routes
            .GroupBy(r => r.Slug, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => string.Join(',', g.SelectMany(r => r.Replicas).Where(x => x.Ready).Select(x => x.Id).Order(StringComparer.Ordinal)), StringComparer.Ordinal);
        var changedAt = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (slug, ids) in ready)
        {
            changedAt[slug] = _readyWritten.TryGetValue(slug, out var before) && before == ids ? _changedAt.GetValueOrDefault(slug) : version;
        }

        foreach (var gone in _readyWritten.Keys.Where(slug => !ready.ContainsKey(slug)))
        {
            changedAt[gone] = version;
        }

        _readyWritten = ready;
        _changedAt = changedAt;
    }

    private static string ReadyIds(string slug, IEnumerable<(int Index, string ContainerId)> replicas) =>
        string.Join(',', replicas.Select(r => ReplicaRouteId.Of(slug, r.Index, r.ContainerId)).Order(StringComparer.Ordinal));
}
