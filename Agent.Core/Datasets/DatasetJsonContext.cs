using System.Text.Json.Serialization;

namespace GradientNode.Core.Datasets;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DatasetRecord))]
[JsonSerializable(typeof(DatasetManifest))]
[JsonSerializable(typeof(DatasetInfo))]
[JsonSerializable(typeof(List<DatasetInfo>))]
[JsonSerializable(typeof(DatasetVersion))]
[JsonSerializable(typeof(List<DatasetVersion>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
public sealed partial class DatasetJsonContext : JsonSerializerContext;
