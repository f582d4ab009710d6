using GradientNode.Core.Engine;

namespace GradientNode.Core.Datasets;

/// <summary>
/// Who uses which version: the engine's containers (running or not) whose bind mounts lie under a version's folder,
/// named from their labels (a replica of a deployment, a job of a workflow run, or else the container's name).
/// Staging folders that containers mount are reported by <see cref="MountedStagingAsync"/>.
/// </summary>
public sealed class DatasetUsers(IContainerEngine engine, DatasetStore store)
{
    public async Task<IReadOnlyList<DatasetUse>> ListAsync(CancellationToken cancellationToken)
    {
        var root = store.Root.TrimEnd('/') + "/";
        var uses = new List<DatasetUse>();
        foreach (var container in await engine.ListContainersAsync([], cancellationToken).ConfigureAwait(false))
        {
            foreach (var mount in container.Mounts)
            {
                // <root>/<name>/versions/<id>/content[/…]
                if (mount.Source.StartsWith(root, StringComparison.Ordinal)
                    && mount.Source[root.Length..].Split('/') is [var name, "versions", var version, ..]
                    && DatasetReference.CheckName(name) is null)
                {
                    uses.Add(new DatasetUse(name, version, Describe(container), container.State == "running"));
                }
            }
        }

        return uses;
    }

    /// <summary>The staging folders (<c>.staging/&lt;write&gt;</c>) some container mounts: a job still writing after a daemon restart.</summary>
    public async Task<IReadOnlySet<string>> MountedStagingAsync(CancellationToken cancellationToken)
    {
        var staging = store.StagingDir.TrimEnd('/') + "/";
        var folders = new HashSet<string>(StringComparer.Ordinal);
        foreach (var container in await engine.ListContainersAsync([], cancellationToken).ConfigureAwait(false))
        {
            foreach (var mount in container.Mounts.Where(m => m.Source.StartsWith(staging, StringComparison.Ordinal)))
            {
                folders.Add(staging + mount.Source[staging.Length..].Split('/')[0]);
            }
        }

        return folders;
    }

    public static string Describe(ContainerSummary container)
    {
        ArgumentNullException.ThrowIfNull(container);
        var labels = container.Labels;
        if (labels.TryGetValue(ContainerLabels.Workflow, out var workflow))
        {
            return $"workflow '{workflow}' run {labels.GetValueOrDefault(ContainerLabels.Run, "?")} job '{labels.GetValueOrDefault(ContainerLabels.Job, "?")}'";
        }

        if (labels.TryGetValue(ContainerLabels.Deployment, out var slug))
        {
            return $"deployment '{labels.GetValueOrDefault(ContainerLabels.Name, slug)}' replica {labels.GetValueOrDefault(ContainerLabels.Replica, "?")}";
        }

        return $"container '{container.Name}'";
    }
}
