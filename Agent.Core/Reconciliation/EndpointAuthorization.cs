using System.Text;
using GradientNode.Core.Secrets;
using GradientNode.Core.Specs;

namespace GradientNode.Core.Reconciliation;

/// <summary>The <c>Authorization</c> header a protected endpoint expects, from the secret snapshot of its running version.</summary>
public sealed class EndpointAuthorization(SecretSnapshots snapshots, VersionHasher hasher)
{
    /// <summary>The expected header, or null when the endpoint is public or its secret is unavailable.</summary>
    public string? Expected(DeploymentSpec spec)
    {
        if (spec.BasicAuthKey is not { } key)
        {
            return null;
        }

        var resolution = snapshots.Resolve(spec, hasher.Compute(spec));
        return resolution.Values.TryGetValue(key.Name, out var password) && !key.Ephemeral
            ? "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"paperspace:{password}"))
            : null;
    }
}
