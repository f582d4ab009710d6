namespace GradientNode.Core.Datasets;

/// <summary>
/// <c>&lt;name&gt;/dataset.json</c>: the dataset's own fields. <see cref="CreatedBy"/>: the workflow run whose dataset output
/// created it (<c>workflow 'train' run 3</c>), or <c>deployments' repositories blocks</c> for one a legacy clone created,
/// until a first version is committed; null for every other dataset. Only such a dataset may be removed when its run ends
/// (its last deployment goes) without a version (<see cref="DatasetStore.RemoveIfUnused"/>).
/// </summary>
public sealed record DatasetRecord(string Name, string? Description, DateTimeOffset Created, string? CreatedBy = null);
