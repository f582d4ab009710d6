namespace GradientNode.Core.Reconciliation;

/// <summary>What the planner needs of a spec: how many replicas, of which container hash (null hash = none wanted).</summary>
public sealed record DesiredReplicas(int Count, string SpecHash, string Reason = "")
{
    public static DesiredReplicas None(string reason) => new(0, string.Empty, reason);
}
