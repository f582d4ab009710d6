using System.Text.Json.Serialization;

namespace GradientNode.Core.Status;

/// <summary>The status JSON shape (camelCase, enums as strings), shared by the API and the CLI.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(DeploymentStatus))]
[JsonSerializable(typeof(IReadOnlyList<DeploymentStatus>))]
[JsonSerializable(typeof(List<DeploymentStatus>))]
public sealed partial class StatusJsonContext : JsonSerializerContext;
