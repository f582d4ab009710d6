using System.Text.Json.Serialization;

namespace GradientNode.Core.Routing;

/// <summary>Source-generated JSON for <c>routes.json</c>, the route table the daemon writes and the proxy role reads.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(RouteTable))]
internal sealed partial class RoutingJsonContext : JsonSerializerContext;
