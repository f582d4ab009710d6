namespace GradientNode.Core.Datasets;

/// <summary><c>&lt;name&gt;/dataset.json</c>: the dataset's own fields.</summary>
public sealed record DatasetRecord(string Name, string? Description, DateTimeOffset Created);
