using GradientNode.Proxy.Routing;

namespace GradientNode.Proxy.Forwarding;

/// <summary>
/// Per request, when the deployment has another ready replica to retry on: the candidates, and the replica
/// that is serving now (<see cref="ConnectRetryHandler"/> moves it on a refused connect; metrics read it).
/// </summary>
internal sealed class ReplicaAttempt
{
    public ReplicaAttempt(CompiledRoute route, ReplicaTarget chosen)
    {
        Route = route;
        Served = chosen;
    }

    public CompiledRoute Route { get; }

    public ReplicaTarget Served { get; set; }
}
