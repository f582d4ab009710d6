namespace GradientNode.Core.Workflows;

/// <summary>
/// What the workflow runner needs from the dataset store, and nothing more (the contract in
/// docs/design/workflows.md): resolve a reference to a committed version, stage a new version, commit or abort it.
/// The daemon wires an adapter over the dataset store; the tests use a fake over a temp folder.
/// </summary>
public interface IWorkflowDatasets
{
    /// <summary><c>NAME</c> | <c>NAME:VERSION</c> | <c>NAME:TAG</c> → the committed version; <see cref="WorkflowDatasetException"/> naming the reference when unknown.</summary>
    Task<ResolvedDataset> ResolveAsync(string reference, CancellationToken cancellationToken);

    /// <summary>Opens a staging folder for the next version of <paramref name="name"/> (the job writes into it).</summary>
    Task<DatasetWrite> BeginWriteAsync(string name, string? message, CancellationToken cancellationToken);

    /// <summary>Commits a staged version atomically; called only when the job that wrote it succeeded.</summary>
    Task<ResolvedDataset> CommitAsync(DatasetWrite write, CancellationToken cancellationToken);

    /// <summary>Discards a staged version (failed or canceled job): nothing is committed.</summary>
    Task AbortAsync(DatasetWrite write, CancellationToken cancellationToken);
}
