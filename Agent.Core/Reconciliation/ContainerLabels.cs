namespace GradientNode.Core.Reconciliation;

/// <summary>The labels every replica container carries (the public contract) and how the daemon finds its own.</summary>
public static class ContainerLabels
{
    public const string Deployment = "gradient.deployment";
    public const string Replica = "gradient.replica";
    public const string SpecHash = "gradient.spec-hash";

    /// <summary>Which node (daemon instance) owns the container; daemons on one engine never touch each other's.</summary>
    public const string Node = "gradient.node";

    /// <summary>The deployment's display name (may contain spaces).</summary>
    public const string Name = "gradient.name";
}
