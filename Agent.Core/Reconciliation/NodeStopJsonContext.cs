using System.Text.Json.Serialization;

namespace GradientNode.Core.Reconciliation;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(Dictionary<string, NodeStop>))]
internal sealed partial class NodeStopJsonContext : JsonSerializerContext;
