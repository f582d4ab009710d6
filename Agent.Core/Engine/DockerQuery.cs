using System.Text.Json;

namespace GradientNode.Core.Engine;

/// <summary>Encodings the Engine API wants in paths, query strings and headers.</summary>
internal static class DockerQuery
{
    /// <summary>base64url(JSON {username, password, serveraddress}) for <c>X-Registry-Auth</c>.</summary>
    public static string EncodeAuth(RegistryAuth auth)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(new WireRegistryAuth(auth.Username, auth.Password, auth.ServerAddress), DockerJsonContext.Default.WireRegistryAuth);
        return Convert.ToBase64String(json).Replace('+', '-').Replace('/', '_');
    }

    /// <summary>URL-encoded <c>{"label":[…]}</c> (and <c>"type":["container"]</c> for events).</summary>
    public static string LabelFilters(IReadOnlyCollection<string> labels, bool withType)
    {
        var filters = new Dictionary<string, List<string>>();
        if (withType)
        {
            filters["type"] = ["container"];
        }

        if (labels.Count > 0)
        {
            filters["label"] = [.. labels];
        }

        return Uri.EscapeDataString(JsonSerializer.Serialize(filters, DockerJsonContext.Default.DictionaryStringListString));
    }

    /// <summary>Escapes each path segment of a name (image names keep their slashes).</summary>
    public static string EscapePath(string value) => string.Join('/', value.Split('/').Select(Uri.EscapeDataString));
}
