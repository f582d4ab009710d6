using GradientNode.Core.Datasets;
using GradientNode.Core.Workflows;
using GradientNode.Core.Workflows.Runs;
using StoreWrite = GradientNode.Core.Datasets.DatasetWrite;
using WorkflowWrite = GradientNode.Core.Workflows.DatasetWrite;

namespace GradientNode.Daemon.Hosting;

/// <summary>
/// The workflow runner's datasets (<see cref="IWorkflowDatasets"/>) over the node's versioned <see cref="DatasetStore"/>:
/// a reference resolves as Gradient's do (<c>NAME</c>, <c>NAME:VERSION</c>, <c>NAME:TAG</c>) to a committed version's
/// folder; an output is a store write (a staging folder) that becomes a version only when the job succeeds. An output
/// dataset that does not exist yet is created on its first write, marked as the run's, and removed when the run ends
/// without committing a version to it (docs/design/workflows.md). The write's handle is the
/// store's write id, so a restarted daemon finds an adopted job's write again. A run holds what it resolved and committed
/// in the store's <see cref="DatasetStore.Leases"/> until it ends; <see cref="RestoreHolds"/> holds again, after a
/// restart, what the unfinished runs' records name.
/// </summary>
internal sealed class DatasetStoreWorkflowDatasets(DatasetStore store) : IWorkflowDatasets
{
    /// <summary>
    /// Holds again, in <paramref name="store"/>'s leases, every version an unfinished run's record names (its resolved
    /// inputs, its jobs' inputs and committed outputs): leases live in memory, the records on disk, so a restarted
    /// daemon refuses to remove what its runs still need before any of them continues. Returns how many were held.
    /// </summary>
    public static int RestoreHolds(DatasetStore store, WorkflowRunStore runs)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(runs);
        var held = 0;
        foreach (var run in runs.Unfinished())
        {
            foreach (var version in RunDatasetHolds.VersionsOf(run))
            {
                store.Leases.Hold(RunDatasetHolds.Holder(run), version);
                held++;
            }
        }

        return held;
    }

    public Task<ResolvedDataset> ResolveAsync(string reference, string holder, CancellationToken cancellationToken)
    {
        try
        {
            var version = store.ResolveAndHold(reference, holder);
            return Task.FromResult(new ResolvedDataset(version.Id, store.ContentPathOf(version.Dataset, version.Version)));
        }
        catch (DatasetException ex)
        {
            throw new WorkflowDatasetException(ex.Message, ex);
        }
    }

    public string? OtherCase(string name) => store.OtherCase(name);

    public Task<string?> CheckAsync(string reference, CancellationToken cancellationToken)
    {
        try
        {
            store.Resolve(reference);
            return Task.FromResult<string?>(null);
        }
        catch (DatasetException ex)
        {
            return Task.FromResult<string?>(ex.Message);
        }
    }

    public Task<WorkflowWrite> BeginWriteAsync(string name, string? message, string holder, CancellationToken cancellationToken)
    {
        try
        {
            var write = store.BeginWriteCreating(name, message, holder);
            return Task.FromResult(new WorkflowWrite(name, message, write.ContentPath, write.Id));
        }
        catch (DatasetException ex)
        {
            throw new WorkflowDatasetException(ex.Message, ex);
        }
    }

    public async Task<ResolvedDataset> CommitAsync(WorkflowWrite write, string holder, Action<DatasetCommitProgress>? progress, CancellationToken cancellationToken, CancellationToken suspend)
    {
        ArgumentNullException.ThrowIfNull(write);
        var open = Find(write);
        if (open is null)
        {
            // A write whose staging folder is gone may have been committed by a daemon that died before the run's record
            // said so: the store finds that version by the write's id (its manifest's 'write'), else nothing was committed.
            var earlier = store.CommittedVersionOf(write.Name, write.Handle)
                ?? throw new WorkflowDatasetException($"the write of dataset '{write.Name}' ({write.Handle}) was aborted or removed; nothing was committed");
            store.Leases.Hold(holder, earlier.Id);
            return new ResolvedDataset(earlier.Id, store.ContentPathOf(earlier.Dataset, earlier.Version));
        }

        try
        {
            var version = await store.CommitAsync(open, cancellationToken, holder: holder, progress: progress, suspend: suspend).ConfigureAwait(false);
            return new ResolvedDataset(version.Id, store.ContentPathOf(version.Dataset, version.Version));
        }
        catch (DatasetException ex)
        {
            // A commit is Invalid only for what the job left in the folder (a name the seal refuses); anything else is the node's.
            throw new WorkflowDatasetException(ex.Message, ex) { ContentRefused = ex.Error == DatasetError.Invalid };
        }
    }

    public Task<bool> IsCommittedAsync(WorkflowWrite write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        return Task.FromResult(store.CommittedVersionOf(write.Name, write.Handle) is not null);
    }

    public Task AbortAsync(WorkflowWrite write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (Find(write) is { } open)
        {
            store.Abort(open);
        }

        return Task.CompletedTask;
    }

    public Task ReleaseAsync(string holder, CancellationToken cancellationToken)
    {
        store.Leases.Release(holder);
        return Task.CompletedTask;
    }

    public Task<bool> RemoveIfUnusedAsync(string name, string holder, CancellationToken cancellationToken)
    {
        try
        {
            return Task.FromResult(store.RemoveIfUnused(name, holder));
        }
        catch (DatasetException ex)
        {
            throw new WorkflowDatasetException(ex.Message, ex);
        }
    }

    private StoreWrite? Find(WorkflowWrite write) => store.FindWrite(write.Handle, write.Name, write.Message);
}
