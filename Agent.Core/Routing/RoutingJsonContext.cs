using System.Text.Json.Serialization;
using GradientNode.Core.Metrics;

namespace GradientNode.Core.Routing;

/// <summary>Source-generated JSON for the files the daemon and proxy roles share in the run dir.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(RouteTable))]
[JsonSerializable(typeof(ProxyStats))]
internal sealed partial class RoutingJsonContext : JsonSerializerContext;
