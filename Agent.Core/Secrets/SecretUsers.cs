using GradientNode.Core.Specs;

namespace GradientNode.Core.Secrets;

/// <summary>
/// Which deployments name a secret, and with which fields, so that <c>secrets rm</c> can say what removing it does
/// (before, it answered a bare "deleted" while a protected endpoint began to refuse every request); the workflow runs
/// that still name it are found by <c>RunSecretUsers</c> and told after the deployments.
/// </summary>
public static class SecretUsers
{
    /// <summary>Each deployment that names <paramref name="secret"/>, with its fields, e.g. <c>locked (basicAuthKey, env[TOKEN])</c>; ordered by name.</summary>
    public static IReadOnlyList<string> Of(string secret, IEnumerable<DeploymentSpec> specs) =>
        [.. specs
            .Select(spec => (spec.Name, Fields: SecretSnapshots.References(spec).Where(r => r.Secret.Name == secret).Select(r => r.Field).Distinct().ToList()))
            .Where(user => user.Fields.Count > 0)
            .OrderBy(user => user.Name, StringComparer.Ordinal)
            .Select(user => $"{user.Name} ({string.Join(", ", user.Fields)})")];

    /// <summary>
    /// The result of removing <paramref name="secret"/>: <c>deleted</c>, or what the deployments that still name it do now,
    /// and which workflow runs still to come name it (<paramref name="runUsers"/>, from <c>RunSecretUsers</c>).
    /// </summary>
    public static string RemovedResult(string secret, IEnumerable<DeploymentSpec> specs, IReadOnlyList<string>? runUsers = null)
    {
        var users = Of(secret, specs);
        var deployments = users.Count == 0
            ? null
            : $"still named by {string.Join(", ", users)}: each is Degraded or Failed until the secret is set again "
              + "(running replicas keep their values, new ones do not start, and a basicAuthKey endpoint refuses every request)";
        var runs = runUsers is not { Count: > 0 }
            ? null
            : $"still named by {string.Join(", ", runUsers)} of runs not ended: each such job fails with an error naming the secret when it starts, unless it is set again first";
        return (deployments, runs) switch
        {
            (null, null) => "deleted",
            ({ } d, null) => $"deleted; {d}",
            (null, { } r) => $"deleted; {r}",
            ({ } d, { } r) => $"deleted; {d}; {r}",
        };
    }
}
