using System.Globalization;
using GradientNode.Core.Secrets;
using GradientNode.Core.Specs;

namespace GradientNode.Core.Reconciliation;

/// <summary>A spec version's hash: the spec's, plus the restart generation once <c>gradient-node restart</c> was used.</summary>
public sealed class VersionHasher(RestartGenerations generations)
{
    public string Compute(DeploymentSpec spec) => SpecHasher.Compute(spec, Extra(spec));

    /// <summary>The version's hash as a node before credentials entered the hash gave it (<see cref="SpecHasher.ComputeBeforeCredentials"/>); null where the same.</summary>
    public string? ComputeBeforeCredentials(DeploymentSpec spec) => SpecHasher.ComputeBeforeCredentials(spec, Extra(spec));

    private Dictionary<string, string>? Extra(DeploymentSpec spec) => generations.Get(spec.Slug) is var generation and not 0
        ? new Dictionary<string, string> { ["restart"] = generation.ToString(CultureInfo.InvariantCulture) }
        : null;

    /// <summary>Forgets a removed deployment's restart count.</summary>
    public void Forget(string slug) => generations.Forget(slug);
}
