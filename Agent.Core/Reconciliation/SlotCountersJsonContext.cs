using System.Text.Json.Serialization;

namespace GradientNode.Core.Reconciliation;

/// <summary>The shape of <c>slot-counters.json</c>: deployment, then replica index, then its <see cref="SlotCount"/>.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(Dictionary<string, Dictionary<int, SlotCount>>))]
internal sealed partial class SlotCountersJsonContext : JsonSerializerContext;
