using System.Text.Json.Serialization;

namespace GradientNode.Core.Autoscaling;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(Dictionary<string, PersistedAutoscale>))]
internal sealed partial class AutoscaleJsonContext : JsonSerializerContext;
