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
        return resolution.Values.TryGetValue(key.Name, out var password) && !key.Ephemeral ? Header(password) : null;
    }

    /// <summary>
    /// The header the stored secret <paramref name="secretName"/> gives now, or null when it is missing or damaged: whether
    /// a password kept from an earlier version of a spec is still its secret's (not removed, not changed since).
    /// </summary>
    public string? Current(string secretName) => snapshots.TryGetStored(secretName, out var password) ? Header(password) : null;

    private static string Header(string password) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"paperspace:{password}"));
}
