namespace GradientNode.Core.Integrations;

/// <summary>The volumes of one spec version, or why it cannot have them (each problem names its field).</summary>
public sealed record VolumePlan(IReadOnlyList<VolumeRequest> Volumes, IReadOnlyList<string> Problems);
