using System.Text.Json.Serialization;

namespace GradientNode.Core.Secrets;

[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class SecretJsonContext : JsonSerializerContext;
