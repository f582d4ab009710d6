using GradientNode.Core.Common;

namespace GradientNode.Core.Workflows.Specs;

/// <summary>
/// <c>resources</c> as written (in <c>defaults</c> or a job): <c>instance-type</c> (a name of the machine-type table)
/// and <c>container-registries</c> (names of stored registry logins, for private images).
/// </summary>
public sealed record WorkflowResourcesSpec(string? InstanceType, EquatableArray<string>? ContainerRegistries);
