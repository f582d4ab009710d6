using GradientNode.Core.Specs;

namespace GradientNode.Core.Reconciliation;

/// <summary>How many replicas an enabled spec asks for now.</summary>
public interface IReplicaCount
{
    int DesiredFor(DeploymentSpec spec);
}
