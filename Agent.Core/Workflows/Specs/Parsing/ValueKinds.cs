using GradientNode.Core.Specs.Parsing;

namespace GradientNode.Core.Workflows.Specs.Parsing;

/// <summary>Reads <c>type</c> of an input or output: dataset, string or volume (and, where allowed, alias).</summary>
internal static class ValueKinds
{
    public const string Alias = "alias";

    /// <summary>The kind, or null (reported) when missing or unknown; <paramref name="isAlias"/> when it is an allowed alias.</summary>
    public static WorkflowValueKind? Read(MappingReader block, bool aliasAllowed, string aliasRefusal, out bool isAlias)
    {
        isAlias = false;
        var type = block.String("type", required: true);
        switch (type)
        {
            case null:
                return null;
            case "dataset":
                return WorkflowValueKind.Dataset;
            case "string":
                return WorkflowValueKind.String;
            case "volume":
                return WorkflowValueKind.Volume;
            case Alias when aliasAllowed:
                isAlias = true;
                return null;
            case Alias:
                block.Error("type", aliasRefusal);
                return null;
            default:
                block.Error("type", $"must be dataset, string, volume{(aliasAllowed ? " or alias" : string.Empty)}, got '{ValueReader.Shorten(type)}'");
                return null;
        }
    }
}
