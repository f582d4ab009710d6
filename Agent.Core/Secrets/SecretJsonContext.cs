using System.Text.Json.Serialization;

namespace GradientNode.Core.Secrets;

[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(List<string>))]
internal sealed partial class SecretJsonContext : JsonSerializerContext;
