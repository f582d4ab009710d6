using GradientNode.Core.Integrations;
using GradientNode.Core.Secrets;

namespace GradientNode.Core.Reconciliation;

/// <summary>
/// What <see cref="VersionPreparer"/> found for a spec version: an error (a GPU type, a secret, a volume, the image),
/// its secret values and volume binds, and whether its volumes or image are still on their way.
/// </summary>
public sealed record Preparation(string? Error, SecretResolution Secrets, MaterializeResult Volumes, bool Pulling)
{
    /// <summary>The image as its presence check found it, for the replicas' creates (<see cref="ImageState.Image"/>).</summary>
    public Engine.ImageDetails? Image { get; init; }

    public static Preparation None { get; } = new(null, SecretResolution.None, MaterializeResult.None, false);

    /// <summary>True when the version's replicas may be created now.</summary>
    public bool Ready => Error is null && !Volumes.Pending && !Pulling;
}
