using GradientNode.Core.Common;

namespace GradientNode.Core.Specs;

/// <summary>
/// <c>resources</c>. For legacy specs <see cref="MachineType"/> holds <c>instanceType</c> and
/// <see cref="Ports"/> holds the single top-level <c>port</c> (default 80).
/// </summary>
public sealed record ResourcesSpec(
    string MachineType,
    EquatableArray<int> Ports,
    int Replicas,
    AutoscalingSpec? Autoscaling)
{
    public const int DefaultReplicas = 1;

    /// <summary>The port the endpoint forwards to and probes default to.</summary>
    public int FirstPort => Ports.Count > 0 ? Ports[0] : 80;
}
