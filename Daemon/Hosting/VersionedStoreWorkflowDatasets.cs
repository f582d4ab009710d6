using System.Globalization;
using GradientNode.Core.Integrations;
using GradientNode.Core.Workflows;

namespace GradientNode.Daemon.Hosting;

/// <summary>
/// The workflow runner's datasets over today's plain dataset folders (<c>datasets/NAME/N/</c>, the store
/// <c>datasets add</c> fills): a reference is <c>NAME</c> (latest) or <c>NAME:N</c>; a write stages in a
/// <c>.partial-</c> folder beside the versions and commits by renaming it to the next number. A stopgap until the
/// versioned dataset store (issue 16 §1) lands with its own adapter; the runner only sees <see cref="IWorkflowDatasets"/>.
/// </summary>
internal sealed class VersionedStoreWorkflowDatasets(VersionedStore store) : IWorkflowDatasets
{
    public Task<ResolvedDataset> ResolveAsync(string reference, CancellationToken cancellationToken)
    {
        var path = store.Resolve(reference) ?? throw new WorkflowDatasetException($"dataset '{reference}' does not exist on this node (gradient-node datasets ls shows the datasets here)");
        var name = reference.Split(':')[0];
        return Task.FromResult(new ResolvedDataset($"{name}:{Path.GetFileName(path)}", path));
    }

    public Task<DatasetWrite> BeginWriteAsync(string name, string? message, CancellationToken cancellationToken)
    {
        if (VersionedStore.CheckName(name) is { } problem)
        {
            throw new WorkflowDatasetException($"dataset {problem}");
        }

        var staging = Path.Combine(store.Root, name, VersionedStore.TempPrefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(staging);
        return Task.FromResult(new DatasetWrite(name, message, staging, staging));
    }

    public Task<ResolvedDataset> CommitAsync(DatasetWrite write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        var dir = Path.Combine(store.Root, write.Name);
        while (true)
        {
            var next = ((store.Get(write.Name)?.Versions ?? [])
                .Select(v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0)
                .DefaultIfEmpty(0).Max() + 1).ToString(CultureInfo.InvariantCulture);
            try
            {
                Directory.Move(write.StagingPath, Path.Combine(dir, next));
                return Task.FromResult(new ResolvedDataset($"{write.Name}:{next}", Path.Combine(dir, next)));
            }
            catch (IOException) when (Directory.Exists(Path.Combine(dir, next)))
            {
                // Another commit took this number first: take the next.
            }
        }
    }

    public Task AbortAsync(DatasetWrite write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (Directory.Exists(write.StagingPath))
        {
            Directory.Delete(write.StagingPath, recursive: true);
        }

        return Task.CompletedTask;
    }
}
