using GradientNode.Proxy.Metrics;

namespace GradientNode.Proxy.Gateway;

/// <summary>
/// Bounds the requests held while a deployment has no ready replica: at most
/// <see cref="ProxyOptions.MaxHeldRequestsPerDeployment"/> per deployment and <see cref="ProxyOptions.MaxHeldRequests"/>
/// in all. Lock-free (interlocked counters); the per-deployment count lives in its <see cref="DeploymentMetrics"/>.
/// </summary>
internal sealed class HoldGate
{
    private readonly int _perDeployment;
    private readonly int _total;
    private int _held;

    public HoldGate(ProxyOptions options)
    {
        _perDeployment = options.MaxHeldRequestsPerDeployment;
        _total = options.MaxHeldRequests;
    }

    /// <summary>Takes a slot for one held request; false (and a rejection counted) when either cap is reached.</summary>
    public bool TryEnter(DeploymentMetrics deployment)
    {
        if (Interlocked.Increment(ref _held) > _total)
        {
            Interlocked.Decrement(ref _held);
            deployment.HoldRejected();
            return false;
        }

        if (!deployment.TryHold(_perDeployment))
        {
            Interlocked.Decrement(ref _held);
            deployment.HoldRejected();
            return false;
        }

        return true;
    }

    /// <summary>Gives back the slot taken by a successful <see cref="TryEnter"/>.</summary>
    public void Exit(DeploymentMetrics deployment)
    {
        deployment.Release();
        Interlocked.Decrement(ref _held);
    }
}
