using GradientNode.Core.Specs;

namespace GradientNode.Core.Status;

/// <summary>
/// The spec fields this daemon parses but does not act on yet, in plain words for <c>status.notActedOn</c>.
/// Each later feature removes its line here.
/// </summary>
public static class NotActedOn
{
    public static IReadOnlyList<string> For(DeploymentSpec spec, Func<SecretRef, bool> secretResolvable)
    {
        var notes = new List<string>();
        if (spec.Region is not null)
        {
            notes.Add("region: ignored on a single node");
        }

        foreach (var env in spec.Env.Where(e => e.Value.Secret is { } secret && !secretResolvable(secret)))
        {
            notes.Add($"env {env.Name}: {env.Value.Secret} cannot be resolved on a node; the variable is not set");
        }

        if (spec.BasicAuthKey is { } key && !secretResolvable(key))
        {
            notes.Add($"basicAuthKey: {key} cannot be resolved on a node; the endpoint refuses every request");
        }

        return notes;
    }
}
