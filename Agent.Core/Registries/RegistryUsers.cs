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

    /// <summary>
    /// The result of removing <paramref name="removed"/>: <c>deleted</c>, or what the deployments that still name it do now
    /// and the <c>registries add</c> line that puts it back, with its URL and user filled in (before: <c>--url URL --username
    /// U</c>, though the node had just held both). The password is never part of it: it comes on standard input.
    /// </summary>
    public static string RemovedResult(RegistryConnection removed, IEnumerable<DeploymentSpec> specs)
    {
        ArgumentNullException.ThrowIfNull(removed);
        var users = Of(removed.Name, specs);
        return users.Count == 0
            ? "deleted"
            : $"deleted; still named by {string.Join(", ", users.Select(user => $"{user} (containerRegistry)"))}: running replicas keep running, "
              + "but each pull of their image fails until the connection is added again (gradient-node registries add "
              + $"{removed.Name} --url {ShellWord(removed.Url)} --username {ShellWord(removed.Username)} --password-stdin)";
    }

    /// <summary>The word as typed when a shell reads it as one word unchanged, else in single quotes.</summary>
    private static string ShellWord(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or ':' or '/' or '@' or '[' or ']')
            ? word
            : $"'{word.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}
