using GradientNode.Core.Secrets;
using GradientNode.Core.Specs;

namespace GradientNode.Core.Reconciliation;

/// <summary>
/// What a spec version needs besides its spec: the restart generation (part of its hash), its secret values
/// (resolved once per version) and its image (pulled with the stored registry credentials).
/// </summary>
public sealed class DeploymentSecrets(SecretSnapshots snapshots, RestartGenerations generations, ImagePuller puller, Integrations.VolumeMaterializer? volumes = null)
{
    public ImagePuller Puller => puller;

    /// <summary>Materializes integrations, models and repositories before a version's replicas start; null when not wired.</summary>
    public Integrations.VolumeMaterializer? Volumes => volumes;

    /// <summary>The spec hash, plus the restart generation once <c>gradient-node restart</c> was used.</summary>
    public string VersionHash(DeploymentSpec spec)
    {
        var generation = generations.Get(spec.Slug);
        return generation == 0
            ? SpecHasher.Compute(spec)
            : SpecHasher.Compute(spec, new Dictionary<string, string> { ["restart"] = generation.ToString(System.Globalization.CultureInfo.InvariantCulture) });
    }

    public SecretResolution Resolve(DeploymentSpec spec, string versionHash) => snapshots.Resolve(spec, versionHash);

    /// <summary>Forgets a removed deployment's secret snapshot (memory and file).</summary>
    public void Forget(string slug) => snapshots.Forget(slug);

    /// <summary>The expected <c>Authorization</c> header of a protected endpoint, or null when its secret is unavailable.</summary>
    public string? ExpectedAuthorization(DeploymentSpec spec)
    {
        if (spec.BasicAuthKey is not { } key)
        {
            return null;
        }

        var resolution = snapshots.Resolve(spec, VersionHash(spec));
        return resolution.Values.TryGetValue(key.Name, out var password) && !key.Ephemeral
            ? "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"paperspace:{password}"))
            : null;
    }
}
