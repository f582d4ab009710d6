using YamlDotNet.RepresentationModel;

namespace GradientNode.Core.Specs.Parsing;

/// <summary>
/// Picks the dialect (GRADIENT-SEMANTICS §1): v1/latest/v0alpha1 are Current, v0alpha0 is Legacy; with no
/// (or an unknown) apiVersion, a top-level <c>port</c> or <c>resources.instanceType</c> means Legacy.
/// </summary>
internal static class DialectDetector
{
    public const string InferredCurrent = "v1";
    public const string InferredLegacy = "v0alpha0";
    public const string Accepted = "v1, latest, v0alpha1 or v0alpha0";

    public static (SpecDialect Dialect, string ApiVersion) Detect(SpecReader reader, YamlMappingNode root)
    {
        if (Find(root, "apiVersion") is { } node && !ValueReader.IsNull(node))
        {
            var version = (node as YamlScalarNode)?.Value;
            switch (version)
            {
                case "v1" or "latest" or "v0alpha1":
                    return (SpecDialect.Current, version);
                case "v0alpha0":
                    return (SpecDialect.Legacy, version);
                default:
                    reader.Error(node, $"apiVersion: unsupported value {ValueReader.Describe(node)}; expected {Accepted}");
                    break;
            }
        }

        var legacy = Find(root, "port") is not null
            || (Find(root, "resources") is YamlMappingNode resources && Find(resources, "instanceType") is not null);
        return legacy ? (SpecDialect.Legacy, InferredLegacy) : (SpecDialect.Current, InferredCurrent);
    }

    private static YamlNode? Find(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;
}
