using System.Collections.Concurrent;
using GradientNode.Core.Routing;
using GradientNode.Core.Traffic;

namespace GradientNode.Proxy.Metrics;

/// <summary>All deployments' request metrics; series follow the route table (removed deployments are dropped).</summary>
internal sealed class ProxyMetrics
{
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, DeploymentMetrics> _deployments = new(StringComparer.Ordinal);

    public ProxyMetrics(TimeProvider time) => _time = time;

    /// <summary>Raised by every request and every series added or dropped: wakes the traffic writer at rest.</summary>
    public ActivitySignal Activity { get; } = new();

    public DeploymentMetrics Deployment(string slug)
    {
        if (_deployments.TryGetValue(slug, out var metrics))
        {
            return metrics;
        }

        var added = _deployments.GetOrAdd(slug, static (s, self) => new DeploymentMetrics(s, self._time, self.Activity), this);
        Activity.Raise();
        return added;
    }

    public DeploymentMetrics? Find(string slug) => _deployments.GetValueOrDefault(slug);

    public void Retain(RouteTable table)
    {
        var slugs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var deployment in table.Deployments)
        {
            slugs.Add(deployment.Slug);
            if (_deployments.TryGetValue(deployment.Slug, out var metrics))
            {
                metrics.RetainReplicas(deployment.Replicas.Select(r => r.Id).ToHashSet(StringComparer.Ordinal));
            }
        }

        foreach (var slug in _deployments.Keys)
        {
            if (!slugs.Contains(slug) && _deployments.TryRemove(slug, out _))
            {
                Activity.Raise();
            }
        }
    }

    public TrafficSnapshot Snapshot()
    {
        var deployments = new List<DeploymentTraffic>(_deployments.Count);
        foreach (var metrics in _deployments.Values)
        {
            deployments.Add(metrics.Snapshot());
        }

        deployments.Sort(static (a, b) => string.CompareOrdinal(a.Slug, b.Slug));
        return new TrafficSnapshot(_time.GetUtcNow(), DurationBuckets.BoundsSeconds, deployments);
    }
}
