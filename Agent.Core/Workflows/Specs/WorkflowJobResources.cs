using GradientNode.Core.Common;

namespace GradientNode.Core.Workflows.Specs;

/// <summary>
/// A job's effective resources: its own <c>instance-type</c>, else the default's, else
/// <see cref="DefaultInstanceType"/>; its own <c>container-registries</c>, else the default's.
/// </summary>
public sealed record WorkflowJobResources(string InstanceType, EquatableArray<string> ContainerRegistries)
{
    /// <summary>The instance type of a job when neither the job nor <c>defaults</c> names one.</summary>
    public const string DefaultInstanceType = "C5";
}
