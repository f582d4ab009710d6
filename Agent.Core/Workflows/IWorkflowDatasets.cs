namespace GradientNode.Core.Workflows;

/// <summary>
/// What the workflow runner needs from the dataset store, and nothing more (the contract in
/// docs/design/workflows.md): resolve a reference to a committed version and hold it for the run, stage a new
/// version, commit or abort it, and let go of a run's versions when it ends. The daemon wires an adapter over the
/// dataset store (the tests use the same adapter over a temp folder).
/// </summary>
public interface IWorkflowDatasets
{
    /// <summary>
    /// <c>NAME</c> | <c>NAME:VERSION</c> | <c>NAME:TAG</c> → the committed version, held for <paramref name="holder"/>
    /// (a run, <see cref="Runs.RunDatasetHolds.Holder(string, int)"/>) until <see cref="ReleaseAsync"/>: removing it is refused
    /// meanwhile. <see cref="WorkflowDatasetException"/> naming the reference when unknown.
    /// </summary>
    Task<ResolvedDataset> ResolveAsync(string reference, string holder, CancellationToken cancellationToken);

    /// <summary>
    /// Why <paramref name="reference"/> does not resolve to a committed version now (the message <see cref="ResolveAsync"/>
    /// would throw, naming the dataset and the version or tag), or null when it does. Holds nothing: a run is checked with it
    /// before it is numbered, and resolves (and holds) again when it starts.
    /// </summary>
    Task<string?> CheckAsync(string reference, CancellationToken cancellationToken);

    /// <summary>
    /// The stored dataset whose name differs from <paramref name="name"/> only by case, when there is none named
    /// <paramref name="name"/> exactly; null otherwise (a dataset output's warning: it would create a second dataset).
    /// </summary>
    string? OtherCase(string name) => null;

    /// <summary>
    /// Opens a staging folder for the next version of <paramref name="name"/> (the job writes into it); a dataset that does
    /// not exist yet is created, marked as made by <paramref name="holder"/> (see <see cref="RemoveIfUnusedAsync"/>).
    /// </summary>
    Task<DatasetWrite> BeginWriteAsync(string name, string? message, string holder, CancellationToken cancellationToken);

    /// <summary>
    /// Commits a staged version atomically, held for <paramref name="holder"/> (a later job reads it); called only when the
    /// job that wrote it succeeded. <paramref name="progress"/> hears how far its hashing is (at most once a second).
    /// Canceled, the staged version is removed, nothing is committed, and <see cref="OperationCanceledException"/> thrown;
    /// suspended (<paramref name="suspend"/>: the daemon stopping), it stays staged for a commit at the next start, and the
    /// exception is thrown.
    /// </summary>
    Task<ResolvedDataset> CommitAsync(DatasetWrite write, string holder, Action<GradientNode.Core.Datasets.DatasetCommitProgress>? progress, CancellationToken cancellationToken, CancellationToken suspend);

    /// <summary>
    /// Whether <paramref name="write"/> was committed already (found by its id, as <see cref="CommitAsync"/> finds it): by
    /// this process, or by one that stopped before the run's record said so. Holds nothing.
    /// </summary>
    Task<bool> IsCommittedAsync(DatasetWrite write, CancellationToken cancellationToken);

    /// <summary>Discards a staged version (failed or canceled job): nothing is committed.</summary>
    Task AbortAsync(DatasetWrite write, CancellationToken cancellationToken);

    /// <summary>Lets go of every version <paramref name="holder"/> holds (its run ended); safe to call twice.</summary>
    Task ReleaseAsync(string holder, CancellationToken cancellationToken);

    /// <summary>
    /// Removes dataset <paramref name="name"/> when <paramref name="holder"/>'s write created it and it has no committed
    /// version and nothing else uses it (no open or staged write, no held version); true when it did. A dataset that
    /// existed before the run, or that got a version, is never removed.
    /// </summary>
    Task<bool> RemoveIfUnusedAsync(string name, string holder, CancellationToken cancellationToken);
}
