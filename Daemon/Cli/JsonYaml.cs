using System.Text.Json;
using YamlDotNet.Serialization;

namespace GradientNode.Daemon.Cli;

/// <summary>Prints a JSON answer as YAML (block style, keys as they are), for <c>-o yaml</c>.</summary>
internal static class JsonYaml
{
    public static string Convert(string json)
    {
        using var document = JsonDocument.Parse(json);
        return new SerializerBuilder().Build().Serialize(ToObject(document.RootElement));
    }

    private static object? ToObject(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().ToDictionary(p => p.Name, p => ToObject(p.Value), StringComparer.Ordinal),
        JsonValueKind.Array => element.EnumerateArray().Select(ToObject).ToList(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var n) ? n : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
