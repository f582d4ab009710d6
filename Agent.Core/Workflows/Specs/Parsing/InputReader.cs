using GradientNode.Core.Specs.Parsing;
using YamlDotNet.RepresentationModel;

namespace GradientNode.Core.Workflows.Specs.Parsing;

/// <summary>
/// An input definition <c>{type, with, optional}</c>: a workflow input, or an inline job input. Datasets take
/// <c>with.ref</c> (or <c>with.id</c>), strings <c>with.value</c>, volumes no <c>with</c>. In a job, an inline
/// <c>{type: alias, with: {value: REF}}</c> is the same as writing REF.
/// </summary>
internal static class InputReader
{
    private static readonly string[] Keys = ObjectShape.KeysOf(WorkflowShapes.JobInputs);
    private static readonly string[] DatasetWith = ObjectShape.KeysOf([WorkflowShapes.DatasetRef, WorkflowShapes.DatasetId]);
    private static readonly string[] StringWith = WorkflowShapes.StringWith.Keys;
    private static readonly string[] AliasWith = WorkflowShapes.AliasWith.Keys;

    private const string AliasAtTop =
        "alias is for job inputs (an inline {type: alias, with: {value: REF}}); a workflow input must be dataset, string or volume";

    /// <summary>The input, or null (reported); <paramref name="alias"/> is set instead for an inline alias.</summary>
    public static WorkflowInputSpec? Read(SpecReader reader, string name, YamlMappingNode node, string field, bool inline, out (string Text, YamlNode Node)? alias)
    {
        alias = null;
        var block = new MappingReader(reader, node, field, Keys);
        var errors = reader.ErrorCount;
        var kind = ValueKinds.Read(block, aliasAllowed: inline, AliasAtTop, out var isAlias);
        var optional = block.Bool("optional") ?? false;
        var withNode = block.Mapping("with");
        if (isAlias)
        {
            alias = ReadAlias(block, withNode);
            return null;
        }

        string? datasetRef = null;
        string? value = null;
        if (kind == WorkflowValueKind.Volume && block.Has("with"))
        {
            block.Error("with", "a volume takes no with (it starts empty)");
        }
        else if (withNode is not null && kind is WorkflowValueKind.Dataset)
        {
            datasetRef = DatasetRefReader.Read(new MappingReader(reader, withNode, block.Field("with"), DatasetWith), required: false);
        }
        else if (withNode is not null && kind is WorkflowValueKind.String)
        {
            var with = new MappingReader(reader, withNode, block.Field("with"), StringWith);
            value = with.Value("value") is { } valueNode
                ? PlainValues.Check(reader, valueNode, with.Field("value"), ValueReader.String(reader, valueNode, with.Field("value")))
                : null;
        }

        var input = kind is { } k && reader.ErrorCount == errors ? new WorkflowInputSpec(name, k, datasetRef, value, optional) : null;
        if (inline && input is { IsRequired: true })
        {
            reader.Error(node, $"{field}: an inline input needs a default in with ({(input.Kind == WorkflowValueKind.Dataset ? "with.ref" : "with.value")}) or optional: true; nothing else can supply it");
            return null;
        }

        return input;
    }

    private static (string Text, YamlNode Node)? ReadAlias(MappingReader block, YamlMappingNode? withNode)
    {
        if (withNode is null)
        {
            block.Error("type", "an alias needs with.value: workflow.inputs.NAME or JOB.outputs.NAME");
            return null;
        }

        var with = new MappingReader(block.Reader, withNode, block.Field("with"), AliasWith);
        var text = with.String("value", required: true);
        return text is null ? null : (text, with.At("value"));
    }
}
