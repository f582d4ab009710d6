using System.Text.Json.Serialization;

namespace GradientNode.Core.Integrations;

[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(List<StoreEntry>))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
public sealed partial class VolumeJsonContext : JsonSerializerContext;
