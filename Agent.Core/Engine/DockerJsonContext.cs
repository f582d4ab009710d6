using System.Text.Json.Serialization;

namespace GradientNode.Core.Engine;

/// <summary>Source-generated (reflection-free) System.Text.Json metadata for the Docker wire DTOs.</summary>
[JsonSourceGenerationOptions(
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(WireError))]
[JsonSerializable(typeof(WireVersion))]
[JsonSerializable(typeof(WireInfo))]
[JsonSerializable(typeof(WireImageInspect))]
[JsonSerializable(typeof(WirePullLine))]
[JsonSerializable(typeof(WireRegistryAuth))]
[JsonSerializable(typeof(WireContainerCreate))]
[JsonSerializable(typeof(WireCreateResponse))]
[JsonSerializable(typeof(WireContainerInspect))]
[JsonSerializable(typeof(List<WireContainerSummary>))]
[JsonSerializable(typeof(WireStats))]
[JsonSerializable(typeof(WireEvent))]
[JsonSerializable(typeof(WireExecCreate))]
[JsonSerializable(typeof(WireExecStart))]
[JsonSerializable(typeof(WireIdResponse))]
[JsonSerializable(typeof(WireExecInspect))]
[JsonSerializable(typeof(Dictionary<string, List<string>>))]
internal sealed partial class DockerJsonContext : JsonSerializerContext;
