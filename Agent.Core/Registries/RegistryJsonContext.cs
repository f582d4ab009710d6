using System.Text.Json.Serialization;

namespace GradientNode.Core.Registries;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(RegistryConnection))]
[JsonSerializable(typeof(RegistryInfo))]
[JsonSerializable(typeof(List<RegistryInfo>))]
[JsonSerializable(typeof(RegistryTestResult))]
public sealed partial class RegistryJsonContext : JsonSerializerContext;
