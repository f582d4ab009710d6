using System.Globalization;
using GradientNode.Core.Secrets;
using GradientNode.Core.Specs;

namespace GradientNode.Core.Reconciliation;

/// <summary>A spec version's hash: the spec's, plus the restart generation once <c>gradient-node restart</c> was used.</summary>
public sealed class VersionHasher(RestartGenerations generations)
{
    public string Compute(DeploymentSpec spec)
    {
        var generation = generations.Get(spec.Slug);
        return generation == 0
            ? SpecHasher.Compute(spec)
            : SpecHasher.Compute(spec, new Dictionary<string, string> { ["restart"] = generation.ToString(CultureInfo.InvariantCulture) });
    }

    /// <summary>Forgets a removed deployment's restart count.</summary>
    public void Forget(string slug) => generations.Forget(slug);
}
