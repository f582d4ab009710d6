using GradientNode.Core.Specs;

namespace GradientNode.Core.Registries;

/// <summary>
/// Which deployments name a registry connection (<c>containerRegistry: NAME</c>), so that <c>registries rm</c> says what
/// removing it does, as <c>secrets rm</c> does for a secret (before, it answered a bare "deleted" and the next pull failed).
/// </summary>
public static class RegistryUsers
{
    /// <summary>The names of the deployments whose <c>containerRegistry</c> is <paramref name="connection"/>, ordered.</summary>
    public static IReadOnlyList<string> Of(string connection, IEnumerable<DeploymentSpec> specs) =>
        [.. specs
            .Where(spec => string.Equals(spec.ContainerRegistry, connection, StringComparison.Ordinal))
            .Select(spec => spec.Name)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];

    /// <summary>The result of removing <paramref name="connection"/>: <c>deleted</c>, or what the deployments that still name it do now.</summary>
    public static string RemovedResult(string connection, IEnumerable<DeploymentSpec> specs)
    {
        var users = Of(connection, specs);
        return users.Count == 0
            ? "deleted"
            : $"deleted; still named by {string.Join(", ", users.Select(user => $"{user} (containerRegistry)"))}: running replicas keep running, "
              + "but each pull of their image fails until the connection is added again (gradient-node registries add "
              + $"{connection} --url URL --username U --password-stdin)";
    }
}
