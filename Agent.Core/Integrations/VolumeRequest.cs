namespace GradientNode.Core.Integrations;

/// <summary>
/// One volume a spec version needs: <see cref="Field"/> names it in messages (<c>integrations[hf]</c>), <see cref="HostPath"/>
/// is where its complete content lives on the node, <see cref="Source"/> (when it must be fetched) what fills it.
/// </summary>
public sealed record VolumeRequest(string Field, VolumeKind Kind, string MountPath, string HostPath, string Key, VolumeSource? Source)
{
    public bool ReadOnly => Kind != VolumeKind.Named;

    /// <summary>For <see cref="VolumeKind.Dataset"/>: the dataset and the version id the content key names.</summary>
    public (string Name, string Version)? Dataset { get; init; }
}
