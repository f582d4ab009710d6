using GradientNode.Core.Common;
using GradientNode.Core.Gpus;
using GradientNode.Core.Specs.Parsing;
using YamlDotNet.RepresentationModel;

namespace GradientNode.Core.Workflows.Specs.Parsing;

/// <summary>The top level of a workflow file: <c>on, context, timeout, defaults, inputs, jobs</c>.</summary>
internal static class WorkflowReader
{
    private static readonly string[] Keys = WorkflowShapes.Workflow.Keys;
    private static readonly string[] DefaultsKeys = WorkflowShapes.Defaults.Keys;

    private static readonly Dictionary<string, string> Foreign = new(StringComparer.Ordinal)
    {
        ["name"] = "a workflow is named on the command line (workflows run --name), not in the file",
        ["apiVersion"] = "workflow files have no apiVersion",
        ["steps"] = "workflows list their jobs under jobs",
    };

    public static WorkflowSpec? Read(SpecReader reader, YamlMappingNode root, MachineTypeTable types)
    {
        var top = new MappingReader(reader, root, string.Empty, Keys, Foreign);
        var notes = new List<WorkflowNote>();
        Note(top, "on", "GitHub triggers need a linked repository; start runs with workflows run", notes);
        Note(top, "context", "it is filled only for GitHub-triggered runs", notes);
        var timeout = TimeoutReader.Read(top);
        var defaults = top.Mapping("defaults") is { } defaultsNode ? ReadDefaults(reader, defaultsNode, types, notes) : WorkflowDefaultsSpec.None;
        var inputs = top.Mapping("inputs") is { } inputsNode ? ReadInputs(reader, inputsNode) : [];
        var drafts = new List<JobDraft>();
        var jobsNode = top.Mapping("jobs");
        if (jobsNode is not null && jobsNode.Children.Count > Runs.RunLimits.MaxJobs)
        {
            reader.Error(top.Key("jobs")!, $"jobs: {jobsNode.Children.Count} jobs, more than the {Runs.RunLimits.MaxJobs} a workflow may have (each job's change saves the whole run, so a run's cost grows with the square of its jobs); split it into several workflows");
        }
        else if (jobsNode is not null)
        {
            foreach (var (id, _, value) in WorkflowNames.Entries(reader, jobsNode, "jobs", "job"))
            {
                if (JobReader.Read(reader, id, value, FieldPath.Child("jobs", id), types) is { } draft)
                {
                    drafts.Add(draft);
                }
            }
        }

        var jobs = WorkflowResolver.Resolve(reader, drafts, inputs, defaults ?? WorkflowDefaultsSpec.None);
        return reader.HasErrors || jobs is null || defaults is null
            ? null
            : new WorkflowSpec(defaults, new EquatableArray<WorkflowInputSpec>(inputs), jobs.Value, timeout, new EquatableArray<WorkflowNote>(notes));
    }

    private static void Note(MappingReader block, string key, string reason, List<WorkflowNote> notes, bool mapping = true)
    {
        if (block.Has(key))
        {
            var at = block.Key(key)!.Start;
            notes.Add(new WorkflowNote(block.Field(key), (int)at.Line, (int)at.Column, reason));
            if (mapping)
            {
                block.Mapping(key);
            }
        }
    }

    private static WorkflowDefaultsSpec? ReadDefaults(SpecReader reader, YamlMappingNode node, MachineTypeTable types, List<WorkflowNote> notes)
    {
        var block = new MappingReader(reader, node, "defaults", DefaultsKeys);
        var errors = reader.ErrorCount;
        var clusterId = PlainValues.String(block, "clusterId");
        if (clusterId is not null)
        {
            Note(block, "clusterId", "the node is its own cluster", notes, mapping: false);
        }

        var env = EnvMapReader.Read(block, "env");
        var resources = block.Mapping("resources") is { } resourcesNode
            ? ResourcesBlockReader.Read(reader, resourcesNode, block.Field("resources"), instanceTypeRequired: false, types)
            : null;
        return reader.ErrorCount == errors && env is not null ? new WorkflowDefaultsSpec(env.Value, resources, clusterId) : null;
    }

    private static List<WorkflowInputSpec> ReadInputs(SpecReader reader, YamlMappingNode node)
    {
        var inputs = new List<WorkflowInputSpec>();
        foreach (var (name, _, value) in WorkflowNames.Entries(reader, node, "inputs", "input"))
        {
            var field = FieldPath.Child("inputs", name);
            if (ValueReader.Mapping(reader, value, field) is { } mapping
                && InputReader.Read(reader, name, mapping, field, inline: false, out _) is { } input)
            {
                inputs.Add(input);
            }
        }

        return inputs;
    }
}
