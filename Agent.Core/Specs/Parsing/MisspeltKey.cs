using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace GradientNode.Core.Specs.Parsing;

/// <summary>An unknown key (<c>defualts</c>) one edit away from a known key of its mapping (<c>defaults</c>), with its value.</summary>
internal sealed record MisspeltKey(YamlScalarNode Key, string Written, string Meant, YamlNode Value)
{
    /// <summary>Whether <paramref name="error"/> lies in this key's value: from its start to the end of the last thing in it.</summary>
    public bool Holds(SpecError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var at = (Line: (long)error.Line, Column: (long)error.Column);
        return Compare(at, (Value.Start.Line, Value.Start.Column)) >= 0 && Compare(at, (End.Line, End.Column)) < 0;
    }

    /// <summary>
    /// Where the value ends. A mapping's or a list's own end mark is where it starts (YamlDotNet's representation model), so
    /// it is the furthest end of anything in it.
    /// </summary>
    private Mark End => Furthest(Value, depth: 0);

    private static Mark Furthest(YamlNode node, int depth)
    {
        var children = depth > 64 ? [] : node switch
        {
            YamlMappingNode mapping => mapping.Children.SelectMany(c => new[] { c.Key, c.Value }),
            YamlSequenceNode sequence => sequence.Children,
            _ => [],
        };
        return children.Select(c => Furthest(c, depth + 1)).Append(node.End).MaxBy(m => m.Index)!;
    }

    private static int Compare((long Line, long Column) a, (long Line, long Column) b) =>
        a.Line != b.Line ? a.Line.CompareTo(b.Line) : a.Column.CompareTo(b.Column);
}
