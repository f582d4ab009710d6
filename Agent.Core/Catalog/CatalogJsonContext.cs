using System.Text.Json.Serialization;

namespace GradientNode.Core.Catalog;

[JsonSerializable(typeof(List<string>))]
[JsonSourceGenerationOptions(WriteIndented = true)]
internal sealed partial class CatalogJsonContext : JsonSerializerContext;
