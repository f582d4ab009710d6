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
    private const string JobsField = "jobs";

    /// <summary>Top-level keys of a deployment spec (either dialect) that a workflow file has no use for.</summary>
    private static readonly HashSet<string> DeploymentOnlyKeys = new(
        SpecShapes.Current.Keys.Concat(SpecShapes.Legacy.Keys).Except(WorkflowShapes.Workflow.Keys).Except(["name", "$schema"]),
        StringComparer.Ordinal);

    /// <summary>
    /// Parses <paramref name="text"/>, read from <paramref name="filePath"/> (used in messages). Every problem is
    /// reported at once as <c>file:line:col: path: message</c>; never throws for bad input. <c>instance-type</c>
    /// is checked against <paramref name="machineTypes"/> (the built-in table when null).
    /// </summary>
    public static WorkflowParseResult Parse(string filePath, string text, MachineTypeTable? machineTypes = null)
    {
        ArgumentNullException.ThrowIfNull(filePath);
        ArgumentNullException.ThrowIfNull(text);

        var reader = new SpecReader(filePath) { Text = text };
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
    /// True when <paramref name="text"/> has the shape of a workflow file (<see cref="JobsKey"/> finds its <c>jobs</c> key).
    /// Text that is not YAML, or too large, is not a workflow (the deployment parser then reports the problem).
    /// </summary>
    public static bool LooksLikeWorkflow(string text) => JobsKey(text) is not null;

    /// <summary>
    /// The top-level key that makes <paramref name="text"/> a workflow file: <c>jobs</c>, or else a key one edit from it
    /// (<c>jbos</c>, <c>job</c>, <c>Jobs</c>) in a mapping with no deployment-only key at the top (<c>image</c>, <c>port</c>,
    /// <c>resources</c>…; <c>name</c>, which workflow files often carry, does not count), so that a misspelt <c>jobs</c> is
    /// reported by the workflow parser (<c>unknown field 'jbos'; did you mean 'jobs'?</c>) rather than read as a broken
    /// deployment. Null when the text is not a workflow, is not YAML, or is too large.
    /// </summary>
    public static string? JobsKey(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (YamlGuard.Check(text) is not null)
        {
            return null;
        }

        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            {
                return null;
            }

            var keys = root.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value).OfType<string>().ToList();
            if (keys.Contains(JobsField, StringComparer.Ordinal))
            {
                return JobsField;
            }

            return keys.Any(DeploymentOnlyKeys.Contains)
                ? null
                : keys.FirstOrDefault(k => k.Length <= KeySuggester.MaxKeyLength && KeySuggester.Distance(k.ToLowerInvariant(), JobsField) <= 1);
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }
}
