using GradientNode.Core.Autoscaling;
using GradientNode.Core.Specs;

namespace GradientNode.Core.Reconciliation;

/// <summary>With autoscaling, the autoscaler's count within replicas..maxReplicas; else <c>replicas</c>.</summary>
public sealed class AutoscaledCount(AutoscaleStore store) : IReplicaCount
{
    public int DesiredFor(DeploymentSpec spec) => store.DesiredFor(spec);
}
