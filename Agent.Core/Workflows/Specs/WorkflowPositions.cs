using GradientNode.Core.Specs;
using YamlDotNet.RepresentationModel;

namespace GradientNode.Core.Workflows.Specs;

/// <summary>
/// Where each scalar value of a workflow file was written, by its dotted path (<c>jobs.train.env.TOKEN</c>,
/// <c>defaults.env.TOKEN</c>, <c>jobs.train.inputs.data.with.ref</c>; a list's items by index,
/// <c>jobs.train.resources.container-registries[0]</c>), to head a problem found after parsing (a secret,
/// dataset or registry connection the node lacks at submit) with <c>file:line:col</c>. The validated spec keeps no positions, so the text
/// (which parsed before) is read again, once; a failure then only loses the positions.
/// </summary>
public sealed class WorkflowPositions
{
    private readonly Dictionary<string, SpecPosition> _values = new(StringComparer.Ordinal);

    private WorkflowPositions(string file) => File = file;

    /// <summary>The file's name as its messages name it.</summary>
    public string File { get; }

    public static WorkflowPositions Read(string file, string text)
    {
        ArgumentNullException.ThrowIfNull(file);
        var positions = new WorkflowPositions(file);
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text ?? string.Empty));
            if (stream.Documents.Count > 0)
            {
                positions.Walk(string.Empty, stream.Documents[0].RootNode, depth: 0);
            }
        }
        catch (Exception e) when (e is YamlDotNet.Core.YamlException or InvalidOperationException or ArgumentException)
        {
            // The spec parsed from this text before; a failure here only loses the positions.
        }

        return positions;
    }

    /// <summary>The position of the scalar at <paramref name="path"/>; null when none was written there.</summary>
    public SpecPosition? Value(string path) => _values.GetValueOrDefault(path);

    /// <summary>The first of <paramref name="paths"/> that was written.</summary>
    public SpecPosition? FirstValue(params string[] paths) => paths.Select(Value).FirstOrDefault(p => p is not null);

    private void Walk(string path, YamlNode node, int depth)
    {
        // The spec's own depth limit (64) held when it parsed; this bound only keeps an odd alias loop finite.
        if (depth > 64)
        {
            return;
        }

        switch (node)
        {
            case YamlScalarNode scalar:
                _values.TryAdd(path, new SpecPosition(File, (int)scalar.Start.Line, (int)scalar.Start.Column));
                break;
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is YamlScalarNode { Value: { } name })
                    {
                        Walk(path.Length == 0 ? name : $"{path}.{name}", value, depth + 1);
                    }
                }

                break;
            case YamlSequenceNode sequence:
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    Walk($"{path}[{i}]", sequence.Children[i], depth + 1);
                }

                break;
        }
    }
}
