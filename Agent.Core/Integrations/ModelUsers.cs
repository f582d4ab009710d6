using GradientNode.Core.Datasets;
using GradientNode.Core.Engine;

namespace GradientNode.Core.Integrations;

/// <summary>
/// The containers that mount a model of the local store (<c>models/ID/N</c>): <c>models rm</c> refuses while any does,
/// since a replica's bind mount of a deleted folder shows it empty and a restart of that replica cannot start at all.
/// </summary>
public sealed class ModelUsers(IContainerEngine engine, VersionedStore models)
{
    public async Task<IReadOnlyList<string>> ListAsync(string id, CancellationToken cancellationToken) =>
        Of(await engine.ListContainersAsync([], cancellationToken).ConfigureAwait(false), models.Root, id);

    /// <summary>
    /// Who mounts a version of <paramref name="id"/>: running containers, and a deployment's replicas even when stopped
    /// (the node restarts them), each as <see cref="DatasetUsers.Describe"/> names it.
    /// </summary>
    public static IReadOnlyList<string> Of(IEnumerable<ContainerSummary> containers, string modelsRoot, string id)
    {
        ArgumentNullException.ThrowIfNull(containers);
        var folder = Path.Combine(modelsRoot, id).TrimEnd('/') + "/";
        return [.. containers
            .Where(c => c.State == "running" || c.Labels.ContainsKey(ContainerLabels.Deployment))
            .Where(c => c.Mounts.Any(m => (m.Source.TrimEnd('/') + "/").StartsWith(folder, StringComparison.Ordinal)))
            .Select(DatasetUsers.Describe)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];
    }
}
