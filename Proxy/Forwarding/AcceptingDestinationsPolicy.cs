using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace GradientNode.Proxy.Forwarding;

/// <summary>
/// Every cluster's available destinations: the ready replicas of the route table less those <see cref="OutOfRotation"/>
/// holds (their last connect failed and no probe has connected since). With all of them out, none is available and a
/// request gets the 503 at once (<see cref="ForwardingErrorAnswer"/>): never YARP's HealthyOrPanic, which sends to every
/// destination again once none is healthy.
/// </summary>
internal sealed class AcceptingDestinationsPolicy(OutOfRotation outOfRotation) : IAvailableDestinationsPolicy
{
    public const string PolicyName = "GradientNode.Accepting";

    public string Name => PolicyName;

    public IReadOnlyList<DestinationState> GetAvailalableDestinations(ClusterConfig config, IReadOnlyList<DestinationState> allDestinations)
    {
        if (outOfRotation.Count == 0)
        {
            return allDestinations;
        }

        var available = new List<DestinationState>(allDestinations.Count);
        foreach (var destination in allDestinations)
        {
            if (!outOfRotation.Contains(destination))
            {
                available.Add(destination);
            }
        }

        return available;
    }
}
