namespace GradientNode.Core.Datasets;

/// <summary>A dataset as <c>datasets ls</c> and <c>GET /v1/datasets/{name}</c> show it.</summary>
public sealed record DatasetInfo(
    string Name,
    string? Description,
    DateTimeOffset Created,
    int Versions,
    string? Latest,
    IReadOnlyDictionary<string, string> Tags,
    long Bytes,
    long Files);
