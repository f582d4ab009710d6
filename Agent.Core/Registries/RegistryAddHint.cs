namespace GradientNode.Core.Registries;

/// <summary>
/// The <c>registries add</c> line for a connection a spec names and the node lacks. Its <c>--url</c> is the registry host
/// of the image that needs it (<see cref="RegistryHost.OfImage"/>: <c>127.0.0.1:5000/team/web:1</c> → <c>127.0.0.1:5000</c>,
/// an image without a registry part → <c>docker.io</c>), the one host its credentials will be sent to; before, it said
/// <c>--url URL</c>. <c>URL</c> stays when the image does not parse.
/// </summary>
public static class RegistryAddHint
{
    public static string For(string name, string? image) =>
        $"gradient-node registries add {name} --url {(image is not null && RegistryHost.OfImage(image) is { } host ? host : "URL")} --username U --password-stdin";
}
