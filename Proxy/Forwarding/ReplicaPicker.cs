using GradientNode.Proxy.Routing;

namespace GradientNode.Proxy.Forwarding;

/// <summary>Power of two choices: two distinct random ready replicas, the one with fewer requests in flight wins.</summary>
internal static class ReplicaPicker
{
    public static ReplicaTarget Pick(IReadOnlyList<ReplicaTarget> replicas)
    {
        var count = replicas.Count;
        if (count == 1)
        {
            return replicas[0];
        }

        var first = Random.Shared.Next(count);
        var second = Random.Shared.Next(count - 1);
        if (second >= first)
        {
            second++;
        }

        var a = replicas[first];
        var b = replicas[second];
        return a.InFlight <= b.InFlight ? a : b;
    }
}
