using GradientNode.Core.Secrets;
using GradientNode.Core.Specs;

namespace GradientNode.Core.Reconciliation;

/// <summary>Secrets from the per-version <see cref="SecretSnapshots"/> (memory and file).</summary>
public sealed class SnapshotSecrets(SecretSnapshots snapshots) : IVersionSecrets
{
    public SecretResolution Resolve(DeploymentSpec spec, string versionHash) => snapshots.Resolve(spec, versionHash);

    public void Forget(string slug) => snapshots.Remove(slug);
}
