using GradientNode.Core.Common;
using GradientNode.Core.Gpus;
using GradientNode.Core.Specs.Parsing;
using GradientNode.Core.Workflows.Specs.Parsing;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace GradientNode.Core.Workflows.Specs;

/// <summary>Parses and validates one workflow file (YAML or JSON) into a resolved <see cref="WorkflowSpec"/>.</summary>
public static class WorkflowParser
{
    /// <summary>
    /// Parses <paramref name="text"/>, read from <paramref name="filePath"/> (used in messages). Every problem is
    /// reported at once as <c>file:line:col: path: message</c>; never throws for bad input. <c>instance-type</c>
    /// is checked against <paramref name="machineTypes"/> (the built-in table when null).
    /// </summary>
    public static WorkflowParseResult Parse(string filePath, string text, MachineTypeTable? machineTypes = null)
    {
        ArgumentNullException.ThrowIfNull(filePath);
        ArgumentNullException.ThrowIfNull(text);

        var reader = new SpecReader(filePath);
        var spec = Read(reader, text, machineTypes ?? MachineTypeTable.BuiltIn);
        foreach (var error in MisspeltKeys.Recheck(reader, shadow => Read(shadow, text, machineTypes ?? MachineTypeTable.BuiltIn)))
        {
            reader.Error(error);
        }

        return reader.HasErrors || spec is null
            ? new WorkflowParseResult(null, new EquatableArray<GradientNode.Core.Specs.SpecError>(reader.SortedErrors()))
            : new WorkflowParseResult(spec, EquatableArray<GradientNode.Core.Specs.SpecError>.Empty);
    }

    private static WorkflowSpec? Read(SpecReader reader, string text, MachineTypeTable types) =>
        YamlDocumentLoader.Load(reader, text, "the workflow file is empty; expected a mapping with a top-level 'jobs' key (see workflow-spec.md or gradient-node schema workflow)") is { } root
            ? WorkflowReader.Read(reader, root, types)
            : null;

    /// <summary>
    /// True when <paramref name="text"/> has the shape of a workflow file: a mapping with a top-level <c>jobs</c> key.
    /// Text that is not YAML, or too large, is not a workflow (the deployment parser then reports the problem).
    /// </summary>
    public static bool LooksLikeWorkflow(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (YamlGuard.Check(text) is not null)
        {
            return false;
        }

        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            return stream.Documents.Count > 0
                && stream.Documents[0].RootNode is YamlMappingNode root
                && root.Children.ContainsKey(new YamlScalarNode("jobs"));
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException or ArgumentException)
        {
            return false;
        }
    }
}
