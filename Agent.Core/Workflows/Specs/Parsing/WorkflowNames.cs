using System.Text.RegularExpressions;
using GradientNode.Core.Specs.Parsing;
using YamlDotNet.RepresentationModel;

namespace GradientNode.Core.Workflows.Specs.Parsing;

/// <summary>
/// Names of jobs, inputs and outputs: an ASCII letter, then ASCII letters, digits, '-' or '_' (at most 64). They become
/// directory names (<c>/inputs/NAME</c>) and parts of aliases (<c>JOB.outputs.NAME</c>), so no '.' or '/'.
/// </summary>
internal static partial class WorkflowNames
{
    public const string Rule = "an ASCII letter followed by ASCII letters, digits, '-' or '_' (at most 64)";

    public static bool IsValid(string name) => name.Length <= 64 && Pattern().IsMatch(name);

    /// <summary>The keys of <paramref name="node"/> with their key nodes; a bad name is reported and skipped.</summary>
    public static List<(string Name, YamlScalarNode Key, YamlNode Value)> Entries(SpecReader reader, YamlMappingNode node, string field, string what)
    {
        var entries = new List<(string, YamlScalarNode, YamlNode)>();
        foreach (var (key, value) in node.Children)
        {
            if (key is not YamlScalarNode { Value: { } name } scalar)
            {
                reader.Error(key, $"{field}: keys must be strings");
                continue;
            }

            if (!IsValid(name))
            {
                reader.Error(key, $"{FieldPath.Child(field, ValueReader.Shorten(name))}: {what} names must be {Rule}");
                continue;
            }

            entries.Add((name, scalar, value));
        }

        return entries;
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]*\\z")]
    private static partial Regex Pattern();
}
