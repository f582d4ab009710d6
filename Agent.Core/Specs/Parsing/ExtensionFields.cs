using YamlDotNet.RepresentationModel;

namespace GradientNode.Core.Specs.Parsing;

/// <summary>
/// Top-level keys that start with <c>x-</c> are extension fields, as in Docker Compose: the node ignores them, so a file
/// can hold its own anchors there (<c>x-probe: &amp;probe {…}</c>, then <c>readiness: *probe</c> or <c>&lt;&lt;: *probe</c>) and
/// tools their own notes. They are dropped from the loaded document after merge keys are resolved, so what they lend
/// through an alias is read (and its errors reported where the anchor wrote it) and the rest is never checked. Only the
/// top level and only lower-case <c>x-</c>, as Compose; anywhere else such a key is an unknown field. Before, a top-level
/// <c>x-defaults</c> was an unknown field, so Compose's habit needed the anchor on a field of the spec.
/// </summary>
internal static class ExtensionFields
{
    public const string Prefix = "x-";

    /// <summary>The JSON Schema pattern of an extension field's name.</summary>
    public const string Pattern = "^x-";

    public static bool IsExtension(YamlNode key) =>
        key is YamlScalarNode { Value: { } name } && name.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>Removes the extension fields of <paramref name="root"/>, in place.</summary>
    public static void Drop(YamlMappingNode root)
    {
        ArgumentNullException.ThrowIfNull(root);
        foreach (var key in root.Children.Keys.Where(IsExtension).ToList())
        {
            root.Children.Remove(key);
        }
    }
}
