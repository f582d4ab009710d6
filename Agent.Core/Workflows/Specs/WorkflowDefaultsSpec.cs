using GradientNode.Core.Common;
using GradientNode.Core.Specs;

namespace GradientNode.Core.Workflows.Specs;

/// <summary>
/// <c>defaults</c>: env for every job (file order), default resources, and <c>clusterId</c> (kept, not acted on:
/// the node is its own cluster).
/// </summary>
public sealed record WorkflowDefaultsSpec(
    EquatableArray<EnvVarSpec> Env,
    WorkflowResourcesSpec? Resources,
    string? ClusterId)
{
    public static WorkflowDefaultsSpec None { get; } = new(EquatableArray<EnvVarSpec>.Empty, null, null);
}
