using YamlDotNet.RepresentationModel;

namespace GradientNode.Core.Specs;

/// <summary>
/// Where each scalar of a YAML file was written, with its text, by its dotted path (<c>resources.machineType</c>,
/// <c>jobs.train.env.TOKEN</c>; a list's items by index, <c>env[0].value</c>). The parsed specs keep no positions, so a
/// message found after parsing (a warning, a secret the node lacks at submit) reads the text again, once, to head itself
/// with <c>file:line:col</c>. The one walker behind <see cref="Workflows.Specs.WorkflowPositions"/> and the CLI's
/// warning locator; before, each carried its own copy. A field whose value is a mapping or a list
/// (<c>resources.autoscaling</c>, <c>integrations[2]</c>) is found by <see cref="NodeAt"/>: its key, or a list item's first
/// line. A text that does not load gives no positions, never an error: it parsed before, so only the positions are lost.
/// </summary>
public sealed class YamlPositions
{
    /// <summary>The spec's own depth limit (64) held when it parsed; this bound only keeps an odd alias loop finite.</summary>
    private const int MaxDepth = 64;

    private readonly Dictionary<string, (SpecPosition At, string? Value)> _scalars = new(StringComparer.Ordinal);

    /// <summary>Where each mapping entry's key, and each list item, was written.</summary>
    private readonly Dictionary<string, SpecPosition> _nodes = new(StringComparer.Ordinal);

    private YamlPositions(string file) => File = file;

    /// <summary>The file's name as its messages name it.</summary>
    public string File { get; }

    public static YamlPositions Read(string file, string? text)
    {
        ArgumentNullException.ThrowIfNull(file);
        var positions = new YamlPositions(file);
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text ?? string.Empty));
            if (stream.Documents.Count > 0)
            {
                Parsing.MergeKeys.Apply(stream.Documents[0].RootNode, reader: null);
                positions.Walk(string.Empty, stream.Documents[0].RootNode, depth: 0);
            }
        }
        catch (Exception e) when (e is YamlDotNet.Core.YamlException or InvalidOperationException or ArgumentException)
        {
            // The text parsed before; a failure here only loses the positions.
        }

        return positions;
    }

    /// <summary>The position of the scalar at <paramref name="path"/>; null when none was written there.</summary>
    public SpecPosition? At(string path) => _scalars.TryGetValue(path, out var scalar) ? scalar.At : null;

    /// <summary>Where the field at <paramref name="path"/> was written, whatever its value: its key, or a list item's start.</summary>
    public SpecPosition? NodeAt(string path) => _nodes.GetValueOrDefault(path);

    /// <summary>The text of the scalar at <paramref name="path"/>, as <paramref name="value"/>; false when none was written there.</summary>
    public bool TryGetValue(string path, out string? value)
    {
        var found = _scalars.TryGetValue(path, out var scalar);
        value = scalar.Value;
        return found;
    }

    private void Walk(string path, YamlNode node, int depth)
    {
        if (depth > MaxDepth)
        {
            return;
        }

        switch (node)
        {
            case YamlScalarNode scalar:
                _scalars.TryAdd(path, (PositionOf(scalar), scalar.Value));
                break;
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is YamlScalarNode { Value: { } name })
                    {
                        var child = path.Length == 0 ? name : $"{path}.{name}";
                        _nodes.TryAdd(child, PositionOf(key));
                        Walk(child, value, depth + 1);
                    }
                }

                break;
            case YamlSequenceNode sequence:
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    _nodes.TryAdd($"{path}[{i}]", PositionOf(sequence.Children[i]));
                    Walk($"{path}[{i}]", sequence.Children[i], depth + 1);
                }

                break;
        }
    }

    private SpecPosition PositionOf(YamlNode node) => new(File, (int)node.Start.Line, (int)node.Start.Column);
}
