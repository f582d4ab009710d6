using GradientNode.Core.Specs.Parsing;
using YamlDotNet.RepresentationModel;

namespace GradientNode.Core.Workflows.Specs.Parsing;

/// <summary>
/// A job output <c>{type, with}</c>: a dataset needs <c>with.ref</c> (or <c>with.id</c>), the dataset its new
/// version goes to; strings and volumes take no <c>with</c>.
/// </summary>
internal static class OutputReader
{
    private static readonly string[] Keys = ObjectShape.KeysOf(WorkflowShapes.Outputs);
    private static readonly string[] DatasetWith = ObjectShape.KeysOf([WorkflowShapes.DatasetRef, WorkflowShapes.DatasetId]);

    private const string AliasRefused = "an output must be dataset, string or volume (alias is for job inputs)";

    public static WorkflowJobOutputSpec? Read(SpecReader reader, string name, YamlNode node, string field)
    {
        if (ValueReader.Mapping(reader, node, field) is not { } mapping)
        {
            return null;
        }

        var block = new MappingReader(reader, mapping, field, Keys);
        var errors = reader.ErrorCount;
        var kind = ValueKinds.Read(block, aliasAllowed: false, AliasRefused, out _);
        string? datasetRef = null;
        if (kind == WorkflowValueKind.Dataset)
        {
            if (block.Mapping("with") is { } withNode)
            {
                datasetRef = DatasetRefReader.Read(new MappingReader(reader, withNode, block.Field("with"), DatasetWith), required: true, output: true);
            }
            else if (!block.Has("with") || block.Value("with") is null)
            {
                reader.Error(mapping, $"{field}: a dataset output needs with.ref, the dataset its new version is committed to");
            }
        }
        else if (kind is not null && block.Has("with"))
        {
            block.Error("with", $"a {kind.Value.ToString().ToLowerInvariant()} output takes no with");
        }

        return kind is { } k && reader.ErrorCount == errors ? new WorkflowJobOutputSpec(name, k, datasetRef) : null;
    }
}
