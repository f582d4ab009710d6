namespace GradientNode.Core.Workflows.Execution;

/// <summary>What <see cref="VolumeOutputSeal.Seal"/> changed.</summary>
public sealed record VolumeSealCount(int SetIdsCleared, int CapabilitiesRemoved, int DevicesRemoved)
{
    public int Total => SetIdsCleared + CapabilitiesRemoved + DevicesRemoved;
}
