using GradientNode.Core.Common;
using GradientNode.Core.Gpus;
using GradientNode.Core.Specs.Parsing;
using YamlDotNet.RepresentationModel;

namespace GradientNode.Core.Workflows.Specs.Parsing;

/// <summary>
/// <c>resources</c> of <c>defaults</c> or a job: <c>instance-type</c> (a name of the machine-type table, required
/// in a job's block) and <c>container-registries</c> (stored registry names).
/// </summary>
internal static class ResourcesBlockReader
{

    private static readonly Dictionary<string, string> Foreign = new(StringComparer.Ordinal)
    {
        ["machineType"] = "workflows spell it instance-type",
        ["instanceType"] = "workflows spell it instance-type",
        ["replicas"] = "a job runs one container",
        ["ports"] = "a job serves no ports",
    };

    public static WorkflowResourcesSpec? Read(SpecReader reader, YamlMappingNode node, string field, bool instanceTypeRequired, MachineTypeTable types)
    {
        var block = new MappingReader(reader, node, field, (instanceTypeRequired ? WorkflowShapes.JobResources : WorkflowShapes.DefaultsResources).Keys, Foreign);
        var errors = reader.ErrorCount;
        var instanceType = PlainValues.String(block, "instance-type", instanceTypeRequired);
        if (instanceType is not null && types.Find(instanceType) is null)
        {
            block.Error("instance-type", $"unknown instance type '{ValueReader.Shorten(instanceType)}'; {types.DidYouMean(instanceType)}known types: {types.KnownNames}");
        }

        EquatableArray<string>? registries = null;
        if (PlainValues.List(block, "container-registries") is { } names)
        {
            for (var i = 0; i < names.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(names[i]))
                {
                    reader.Error(((YamlSequenceNode)block.Value("container-registries")!).Children[i], $"{FieldPath.Item(block.Field("container-registries"), i)}: must be a registry name");
                }
            }

            registries = names;
        }

        return reader.ErrorCount == errors ? new WorkflowResourcesSpec(instanceType, registries) : null;
    }
}
