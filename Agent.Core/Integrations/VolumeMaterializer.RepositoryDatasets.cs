namespace GradientNode.Core.Integrations;

/// <summary>
/// The dataset a legacy <c>repositories</c> block clones into is created by the clone (marked <see cref="RepositoriesCreator"/>)
/// when missing. A clone that never committed (a git URL that fails) left it empty; before, it stayed in <c>datasets ls</c>
/// and on disk after the deployment was deleted, and no gc pass removed it. It now goes when no deployment names it any
/// more: at the deployment's delete, when a clone its deleted deployment abandoned ends, and in each gc pass (after a
/// restart). A dataset that existed before the clone, or that has a version, stays.
/// </summary>
public sealed partial class VolumeMaterializer
{
    /// <summary>The <c>createdBy</c> of a dataset a legacy repositories clone created.</summary>
    public const string RepositoriesCreator = "deployments' repositories blocks";

    private const string RepositoriesDescription = "cloned from deployments' repositories blocks";

    /// <summary>
    /// Removes (or, with <paramref name="dryRun"/>, finds) the datasets legacy clones created that have no version and that
    /// no deployment's current version names; returns their names.
    /// </summary>
    public IReadOnlyList<string> CollectRepositoryDatasets(bool dryRun) =>
        _stores.Datasets.RemoveUnusedCreatedBy(RepositoriesCreator, PlannedDatasets(), dryRun);

    private void RemoveUnplannedRepositoryDataset(string name)
    {
        if (PlannedDatasets().Contains(name))
        {
            return; // another deployment's block clones into it too
        }

        try
        {
            _stores.Datasets.RemoveIfUnused(name, RepositoriesCreator);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left to the next gc pass.
        }
    }

    private HashSet<string> PlannedDatasets() =>
        _current.Values.SelectMany(v => v).Where(v => v.Dataset is not null).Select(v => v.Dataset!.Value.Name).ToHashSet(StringComparer.Ordinal);
}
