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

    /// <summary>
    /// The most replicas one deployment may ask of a node, for <c>replicas</c> and <c>autoscaling.maxReplicas</c> alike
    /// (and the scale action). A typo such as 1000000 would otherwise start containers until the host gives out; the
    /// node's scale runs went to 100 containers in all (docs/benchmarks.md, "Scale").
    /// </summary>
    public const int MaxReplicas = 64;

    /// <summary>The text of the error for a count above <see cref="MaxReplicas"/>.</summary>
    public static string TooMany(int count) => TooMany(count.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The same for a count written out, which may be past what an int holds (<c>99999999999</c>).</summary>
    public static string TooMany(string count) => $"must be at most {MaxReplicas}, got {count} (the most replicas one deployment may ask of a node)";

    /// <summary>The port the endpoint forwards to and probes default to.</summary>
    public int FirstPort => Ports.Count > 0 ? Ports[0] : 80;
}
