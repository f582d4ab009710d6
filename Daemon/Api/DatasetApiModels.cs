using System.Text.Json.Serialization;
using GradientNode.Core.Datasets;
using GradientNode.Core.Integrations;

namespace GradientNode.Daemon.Api;

// The request bodies of /v1/datasets, kept together as one family of wire DTOs.

/// <summary><c>POST /v1/datasets</c>.</summary>
internal sealed record DatasetCreateRequest(string Name, string? Description);

/// <summary><c>PUT /v1/datasets/{name}/tags/{tag}</c>: the version id the tag points at.</summary>
internal sealed record DatasetTagRequest(string Version);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DatasetCreateRequest))]
[JsonSerializable(typeof(DatasetTagRequest))]
[JsonSerializable(typeof(StorageGcReport))]
[JsonSerializable(typeof(List<DatasetUse>))]
internal sealed partial class DatasetApiJsonContext : JsonSerializerContext;
