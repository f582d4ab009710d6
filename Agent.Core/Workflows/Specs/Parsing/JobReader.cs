using GradientNode.Core.Gpus;
using GradientNode.Core.Specs.Parsing;
using YamlDotNet.RepresentationModel;

namespace GradientNode.Core.Workflows.Specs.Parsing;

/// <summary>Reads one <c>jobs.ID</c> mapping into a <see cref="JobDraft"/>; aliases and needs are checked later.</summary>
internal static class JobReader
{
    private static readonly string[] Keys = WorkflowShapes.JobKeys;

    private static readonly Dictionary<string, string> Foreign = new(StringComparer.Ordinal)
    {
        ["name"] = "a job is named by its key under jobs",
        ["image"] = "put image under with (container@v1 or script@v1)",
        ["if"] = "Gradient workflows have no conditions",
        ["retries"] = "Gradient workflows have no retries",
        ["retryStrategy"] = "Gradient workflows have no retries",
        ["matrix"] = "Gradient workflows have no matrix",
        ["steps"] = "a job runs one action, named in uses",
    };

    public static JobDraft? Read(SpecReader reader, string id, YamlNode node, string field, MachineTypeTable types)
    {
        if (ValueReader.Mapping(reader, node, field) is not { } mapping)
        {
            return null;
        }

        var block = new MappingReader(reader, mapping, field, Keys, Foreign);
        var uses = block.String("uses", required: true);
        var action = uses is null ? null : WorkflowActions.Parse(uses);
        if (uses is not null && action is null)
        {
            block.Error("uses", $"unknown action '{ValueReader.Shorten(uses)}'; supported actions: {WorkflowActions.Supported}");
        }

        var outputs = ReadOutputs(block);
        var withNode = block.Mapping("with", required: action is not null);
        var with = action is { } a && withNode is not null
            ? ActionReader.Read(reader, a, withNode, block.Field("with"), [.. outputs.Select(o => o.Output)])
            : null;
        var resources = block.Mapping("resources") is { } resourcesNode
            ? ResourcesBlockReader.Read(reader, resourcesNode, block.Field("resources"), instanceTypeRequired: true, types)
            : null;
        return new JobDraft(id, field, mapping, action, with, ReadNeeds(block), ReadInputs(block), outputs, EnvMapReader.Read(block, "env"), resources, TimeoutReader.Read(block));
    }

    private static List<(string, YamlNode, string)> ReadNeeds(MappingReader block)
    {
        var needs = new List<(string, YamlNode, string)>();
        if (block.Value("needs") is not { } node)
        {
            return needs;
        }

        var field = block.Field("needs");
        var items = node is YamlScalarNode ? [node] : ValueReader.Sequence(block.Reader, node, field)?.Children ?? [];
        for (var i = 0; i < items.Count; i++)
        {
            var path = node is YamlScalarNode ? field : FieldPath.Item(field, i);
            if (ValueReader.String(block.Reader, items[i], path) is not { } job)
            {
                continue;
            }

            if (needs.Any(n => n.Item1 == job))
            {
                block.Reader.Error(items[i], $"{path}: '{ValueReader.Shorten(job)}' is listed twice");
                continue;
            }

            needs.Add((job, items[i], path));
        }

        return needs;
    }

    private static List<JobInputDraft> ReadInputs(MappingReader block)
    {
        var inputs = new List<JobInputDraft>();
        if (block.Mapping("inputs") is not { } mapping)
        {
            return inputs;
        }

        foreach (var (name, _, value) in WorkflowNames.Entries(block.Reader, mapping, block.Field("inputs"), "input"))
        {
            var field = FieldPath.Child(block.Field("inputs"), name);
            if (value is YamlScalarNode scalar && !ValueReader.IsNull(scalar))
            {
                inputs.Add(new JobInputDraft(name, field, value, scalar.Value ?? string.Empty, null));
            }
            else if (value is YamlMappingNode inline)
            {
                var spec = InputReader.Read(block.Reader, name, inline, field, inline: true, out var alias);
                if (alias is { } a)
                {
                    inputs.Add(new JobInputDraft(name, field, a.Node, a.Text, null));
                }
                else if (spec is not null)
                {
                    inputs.Add(new JobInputDraft(name, field, value, null, spec));
                }
            }
            else
            {
                block.Reader.Error(value, $"{field}: expected workflow.inputs.NAME, JOB.outputs.NAME or an inline {{type, with}} mapping, got {ValueReader.Describe(value)}");
            }
        }

        return inputs;
    }

    private static List<(WorkflowJobOutputSpec Output, YamlNode Key)> ReadOutputs(MappingReader block)
    {
        var outputs = new List<(WorkflowJobOutputSpec, YamlNode)>();
        if (block.Mapping("outputs") is not { } mapping)
        {
            return outputs;
        }

        foreach (var (name, key, value) in WorkflowNames.Entries(block.Reader, mapping, block.Field("outputs"), "output"))
        {
            if (OutputReader.Read(block.Reader, name, value, FieldPath.Child(block.Field("outputs"), name)) is { } output)
            {
                outputs.Add((output, key));
            }
        }

        return outputs;
    }
}
