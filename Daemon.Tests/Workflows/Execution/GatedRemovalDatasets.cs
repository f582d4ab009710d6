using GradientNode.Core.Workflows;

namespace GradientNode.Tests.Workflows.Execution;

/// <summary>
/// The workflow datasets with the removal of a run's unused dataset held until <see cref="Open"/>: what readers see of a run
/// while its end is being cleaned up can be looked at (<see cref="Entered"/> completes when a removal begins).
/// </summary>
internal sealed class GatedRemovalDatasets(IWorkflowDatasets inner) : IWorkflowDatasets
{
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Entered => _entered.Task;

    public void Open() => _open.TrySetResult();

    public Task<ResolvedDataset> ResolveAsync(string reference, string holder, CancellationToken cancellationToken) => inner.ResolveAsync(reference, holder, cancellationToken);

    public Task<string?> CheckAsync(string reference, CancellationToken cancellationToken) => inner.CheckAsync(reference, cancellationToken);

    public Task<DatasetWrite> BeginWriteAsync(string name, string? message, string holder, CancellationToken cancellationToken) => inner.BeginWriteAsync(name, message, holder, cancellationToken);

    public Task<ResolvedDataset> CommitAsync(DatasetWrite write, string holder, Action<GradientNode.Core.Datasets.DatasetCommitProgress>? progress, CancellationToken cancellationToken, CancellationToken suspend) => inner.CommitAsync(write, holder, progress, cancellationToken, suspend);

    public Task<bool> IsCommittedAsync(DatasetWrite write, CancellationToken cancellationToken) => inner.IsCommittedAsync(write, cancellationToken);

    public Task AbortAsync(DatasetWrite write, CancellationToken cancellationToken) => inner.AbortAsync(write, cancellationToken);

    public Task ReleaseAsync(string holder, CancellationToken cancellationToken) => inner.ReleaseAsync(holder, cancellationToken);

    public async Task<bool> RemoveIfUnusedAsync(string name, string holder, CancellationToken cancellationToken)
    {
        _entered.TrySetResult();
        await _open.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return await inner.RemoveIfUnusedAsync(name, holder, cancellationToken).ConfigureAwait(false);
    }
}
