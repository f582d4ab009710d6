using System.Collections.Concurrent;
using GradientNode.Core.Traffic;

namespace GradientNode.Proxy.Metrics;

/// <summary>One deployment's series: forwarded (all replicas), local (answered by the proxy) and per replica.</summary>
internal sealed class DeploymentMetrics
{
    private readonly TimeProvider _time;
    private readonly ActivitySignal? _activity;
    private readonly ConcurrentDictionary<string, RequestMetrics> _replicas = new(StringComparer.Ordinal);
    private long _held;
    private long _holdRejected;

    public DeploymentMetrics(string slug, TimeProvider time, ActivitySignal? activity = null)
    {
        Slug = slug;
        _time = time;
        _activity = activity;
        Forwarded = new RequestMetrics(time, quantiles: true, activity);
        Local = new RequestMetrics(time, activity: activity);
    }

    public string Slug { get; }

    public RequestMetrics Forwarded { get; }

    public RequestMetrics Local { get; }

    /// <summary>Requests held now because the deployment has no ready replica.</summary>
    public long Held => Volatile.Read(ref _held);

    /// <summary>Takes one of <paramref name="limit"/> hold slots; false when all are taken.</summary>
    public bool TryHold(int limit)
    {
        if (Interlocked.Increment(ref _held) > limit)
        {
            Interlocked.Decrement(ref _held);
            return false;
        }

        _activity?.Raise();
        return true;
    }

    public void Release() => Interlocked.Decrement(ref _held);

    /// <summary>Counts a request answered 503 at once because the hold queue was full.</summary>
    public void HoldRejected()
    {
        Interlocked.Increment(ref _holdRejected);
        _activity?.Raise();
    }

    public RequestMetrics Replica(string id) =>
        _replicas.TryGetValue(id, out var metrics)
            ? metrics
            : _replicas.GetOrAdd(id, static (_, self) => new RequestMetrics(self._time, activity: self._activity), this);

    /// <summary>Drops series of replicas that left the route table (their in-flight requests still finish).</summary>
    public void RetainReplicas(IReadOnlySet<string> ids)
    {
        foreach (var id in _replicas.Keys)
        {
            if (!ids.Contains(id) && _replicas.TryRemove(id, out _))
            {
                _activity?.Raise();
            }
        }
    }

    public DeploymentTraffic Snapshot()
    {
        var replicas = new List<ReplicaTraffic>(_replicas.Count);
        foreach (var (id, metrics) in _replicas)
        {
            replicas.Add(new ReplicaTraffic(id, metrics.Snapshot()) { OutOfRotation = metrics.OutOfRotation });
        }

        replicas.Sort(static (a, b) => string.CompareOrdinal(a.Id, b.Id));
        return new DeploymentTraffic(Slug, Forwarded.Snapshot(), Local.Snapshot(), replicas)
        {
            Held = Math.Max(0, Held),
            HoldRejected = Volatile.Read(ref _holdRejected),
        };
    }
}
