using System.Text.Json.Serialization;

namespace GradientNode.Core.Status;

/// <summary>The shape of <c>replica-states.json</c>: each instance's last history entry and its last failure before it (<see cref="SavedReplicaState"/>).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(Dictionary<string, SavedReplicaState>))]
internal sealed partial class ReplicaJournalJsonContext : JsonSerializerContext;
