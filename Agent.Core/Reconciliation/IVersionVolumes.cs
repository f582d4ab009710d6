using GradientNode.Core.Integrations;
using GradientNode.Core.Secrets;
using GradientNode.Core.Specs;
using GradientNode.Core.Status;

namespace GradientNode.Core.Reconciliation;

/// <summary>Integrations, models and repositories a spec version mounts (a hook of <see cref="VersionPreparer"/>).</summary>
public interface IVersionVolumes
{
    /// <summary>
    /// Starts or checks the fetches of spec version <paramref name="version"/> (its hash); <see cref="MaterializeResult.Pending"/>
    /// while they run. A version not seen before retries a failed fetch at once instead of after its backoff.
    /// </summary>
    MaterializeResult Prepare(DeploymentSpec spec, string version, SecretResolution secrets);

    /// <summary>What the status shows about the deployment's volumes.</summary>
    IReadOnlyList<VolumeStatus> StatusOf(string slug);

    /// <summary>Releases a removed deployment's volumes.</summary>
    void Release(string slug);
}
