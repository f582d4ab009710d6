using System.Text.Json.Serialization;

namespace GradientNode.Core.Status;

/// <summary>The shape of <c>replica-states.json</c>: each instance's last history entry (<see cref="ReplicaJournal"/>).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(Dictionary<string, ReplicaEvent>))]
internal sealed partial class ReplicaJournalJsonContext : JsonSerializerContext;
