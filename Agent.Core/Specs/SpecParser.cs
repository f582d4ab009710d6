using GradientNode.Core.Common;
using GradientNode.Core.Specs.Parsing;

namespace GradientNode.Core.Specs;

/// <summary>Parses and validates one spec file (YAML or JSON) into a <see cref="DeploymentSpec"/>.</summary>
public static class SpecParser
{
    /// <summary>
    /// Parses <paramref name="text"/>, read from <paramref name="filePath"/> (used in messages and for a
    /// legacy spec's default name). Reports every problem at once; never throws for bad input.
    /// </summary>
    public static SpecParseResult Parse(string filePath, string text)
    {
        ArgumentNullException.ThrowIfNull(filePath);
        ArgumentNullException.ThrowIfNull(text);

        var reader = new SpecReader(filePath) { Text = text };
        var root = YamlDocumentLoader.Load(reader, text);
        var spec = root is null ? null : DeploymentReader.Read(reader, root, filePath);
        foreach (var error in MisspeltKeys.Recheck(reader, shadow =>
        {
            if (YamlDocumentLoader.Load(shadow, text) is { } again)
            {
                DeploymentReader.Read(shadow, again, filePath);
            }
        }))
        {
            reader.Error(error);
        }

        return reader.HasErrors
            ? new SpecParseResult(null, new EquatableArray<SpecError>(reader.SortedErrors()))
            : new SpecParseResult(spec, EquatableArray<SpecError>.Empty);
    }
}
