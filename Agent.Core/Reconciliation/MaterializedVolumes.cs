using GradientNode.Core.Integrations;
using GradientNode.Core.Secrets;
using GradientNode.Core.Specs;
using GradientNode.Core.Status;

namespace GradientNode.Core.Reconciliation;

/// <summary>Volumes from the <see cref="VolumeMaterializer"/>: fetched once per content key, in the background.</summary>
public sealed class MaterializedVolumes(VolumeMaterializer materializer) : IVersionVolumes
{
    public MaterializeResult Prepare(DeploymentSpec spec, string version, SecretResolution secrets) => materializer.Prepare(spec, secrets, version);

    public IReadOnlyList<VolumeStatus> StatusOf(string slug) => materializer.StatusOf(slug);

    public void Release(string slug) => materializer.Release(slug);
}
