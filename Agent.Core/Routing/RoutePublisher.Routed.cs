using GradientNode.Core.Status;
using GradientNode.Core.Traffic;

namespace GradientNode.Core.Routing;

/// <summary>
/// Whether the route table last written holds a deployment as its status shows it now: the status can be ahead of the
/// table by up to <see cref="RoutePublisher.CoalesceWindow"/> (the changes of a burst are written together). Before,
/// <c>apply --wait</c> could say "rolled out … at http://…" from a status whose replicas the table did not have yet, and
/// a request sent right then got the proxy's 404 "no deployment".
/// </summary>
public sealed partial class RoutePublisher
{
    /// <summary>Per deployment in the table last written, its ready replicas (route ids, sorted).</summary>
    private Dictionary<string, string> _readyWritten = new(StringComparer.Ordinal);

    /// <summary>
    /// True when the route table last written has <paramref name="status"/>'s deployment with exactly its ready replicas
    /// (a deployment with none needs no route); false while the table lags behind; null when the table cannot be written
    /// (the node's warnings say why) or was not written yet by this daemon.
    /// </summary>
    public bool? Routed(DeploymentStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var ready = ReadyIds(status.Slug, status.Replicas.Where(i => i.Address is not null && i.Ready).Select(i => (i.Index, i.ContainerId)));
        lock (_gate)
        {
            if (_problem is not null || _lastWritten is null)
            {
                return null;
            }

            return _readyWritten.TryGetValue(status.Slug, out var written) ? written == ready : ready.Length == 0;
        }
    }

    /// <summary>Called with the lock held once <paramref name="routes"/> were written.</summary>
    private void RememberWritten(IEnumerable<DeploymentRoute> routes) =>
        _readyWritten = routes
            .GroupBy(r => r.Slug, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => string.Join(',', g.SelectMany(r => r.Replicas).Where(x => x.Ready).Select(x => x.Id).Order(StringComparer.Ordinal)), StringComparer.Ordinal);

    private static string ReadyIds(string slug, IEnumerable<(int Index, string ContainerId)> replicas) =>
        string.Join(',', replicas.Select(r => ReplicaRouteId.Of(slug, r.Index, r.ContainerId)).Order(StringComparer.Ordinal));
}
