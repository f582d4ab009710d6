using GradientNode.Core.Secrets;
using GradientNode.Core.Specs;

namespace GradientNode.Core.Reconciliation;

/// <summary>The secret values of a spec version, resolved once per version (a hook of <see cref="VersionPreparer"/>).</summary>
public interface IVersionSecrets
{
    SecretResolution Resolve(DeploymentSpec spec, string versionHash);

    /// <summary>Forgets a removed deployment's secrets.</summary>
    void Forget(string slug);
}
