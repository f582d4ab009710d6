using GradientNode.Core.Specs;
using YamlDotNet.RepresentationModel;

namespace GradientNode.Core.Workflows.Specs.Parsing;

/// <summary>
/// Where a workflow input is written in its workflow file: its declaration (<c>inputs.NAME</c>'s key) and its default
/// (<c>with.ref</c>, <c>with.id</c> or <c>with.value</c>'s value). The validated spec keeps no positions, so the text
/// (which parsed before) is read again, once; a failure then only loses the position (1:1, or none for a default).
/// </summary>
internal sealed class WorkflowInputLocator
{
    private static readonly string[] DefaultKeys = ["ref", "id", "value"];
    private readonly string _file;
    private readonly YamlMappingNode? _inputs;

    public WorkflowInputLocator(string file, string text)
    {
        _file = file;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            if (stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode root
                && root.Children.TryGetValue(new YamlScalarNode("inputs"), out var inputs))
            {
                _inputs = inputs as YamlMappingNode;
            }
        }
        catch (Exception e) when (e is YamlDotNet.Core.YamlException or InvalidOperationException or ArgumentException)
        {
            // The spec parsed from this text before; a failure here only loses the positions.
        }
    }

    /// <summary>The input's key under <c>inputs</c>; 1:1 when not found.</summary>
    public SpecPosition Declaration(string name) =>
        Key(name) is { } key ? At(key) : new SpecPosition(_file, 1, 1);

    /// <summary>The value of the input's <c>with</c> default; null when it has none written.</summary>
    public SpecPosition? Default(string name)
    {
        if (Key(name) is not { } key || _inputs!.Children[key] is not YamlMappingNode input
            || !input.Children.TryGetValue(new YamlScalarNode("with"), out var with) || with is not YamlMappingNode withMap)
        {
            return null;
        }

        return DefaultKeys.Select(k => withMap.Children.TryGetValue(new YamlScalarNode(k), out var value) ? value : null)
            .OfType<YamlNode>().Select(At).FirstOrDefault();
    }

    private YamlNode? Key(string name) =>
        _inputs?.Children.Keys.FirstOrDefault(k => k is YamlScalarNode { Value: var v } && v == name);

    private SpecPosition At(YamlNode node) => new(_file, (int)node.Start.Line, (int)node.Start.Column);
}
