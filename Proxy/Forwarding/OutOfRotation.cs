using System.Collections.Concurrent;
using Yarp.ReverseProxy.Model;

namespace GradientNode.Proxy.Forwarding;

/// <summary>
/// The replicas whose last connect failed and that no connect has reached since: <see cref="ConnectFailures"/> adds and
/// removes them, <see cref="AcceptingDestinationsPolicy"/> leaves them out of YARP's available destinations. Keyed by
/// YARP's destination object: a replaced container is a new destination and starts in rotation.
/// </summary>
internal sealed class OutOfRotation
{
    private readonly ConcurrentDictionary<DestinationState, byte> _out = new(ReferenceEqualityComparer.Instance);

    public int Count => _out.Count;

    public bool Contains(DestinationState destination) => !_out.IsEmpty && _out.ContainsKey(destination);

    /// <summary>True when the replica was in rotation until now.</summary>
    public bool Add(DestinationState destination) => _out.TryAdd(destination, 0);

    public bool Remove(DestinationState destination) => _out.TryRemove(destination, out _);
}
