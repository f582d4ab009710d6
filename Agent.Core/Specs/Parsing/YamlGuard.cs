using GradientNode.Core.Common;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace GradientNode.Core.Specs.Parsing;

/// <summary>
/// Bounds YAML from a caller before YamlDotNet's (recursive) representation model sees it: total size, text that is
/// not UTF-8 (<see cref="Utf8Text"/>, at its first bad byte),
/// nesting depth, scalar length and the size aliases expand to. One pass over the event parser, which is
/// iterative, so hostile input can neither overflow the stack nor blow up memory or time. Syntax errors
/// are left to the loader, which reports them with their position.
/// </summary>
public static class YamlGuard
{
    /// <summary>The largest text accepted, in characters (1 MiB, the API's body limit).</summary>
    public const int MaxChars = 1024 * 1024;

    /// <summary>The deepest nesting of lists and mappings.</summary>
    public const int MaxDepth = 64;

    /// <summary>The longest single value (key or scalar), in characters.</summary>
    public const int MaxScalarChars = 256 * 1024;

    /// <summary>The most nodes the document may hold with every alias expanded ("billion laughs").</summary>
    public const int MaxExpandedNodes = 100_000;

    /// <summary>The first limit <paramref name="text"/> breaks, or null when it is within all of them.</summary>
    public static YamlLimitError? Check(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxChars)
        {
            return new YamlLimitError(1, 1, $"the text is longer than {MaxChars} characters, the most allowed");
        }

        if (Utf8Text.FindInvalid(text) is { } bad)
        {
            return new YamlLimitError(bad.Line, bad.Column, $"invalid UTF-8: {bad.Problem}; the text must be UTF-8");
        }

        var open = new Stack<(string? Anchor, long Before)>();
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        var openAnchors = new HashSet<string>(StringComparer.Ordinal);
        long total = 0;
        var parser = new Parser(new StringReader(text));
        try
        {
            while (parser.MoveNext())
            {
                if (Visit(parser.Current!, open, sizes, openAnchors, ref total) is { } error)
                {
                    return error;
                }
            }
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException or ArgumentException)
        {
            // A syntax error: the loader reports it at its position.
        }

        return null;
    }

    private static YamlLimitError? Visit(
        ParsingEvent current,
        Stack<(string? Anchor, long Before)> open,
        Dictionary<string, long> sizes,
        HashSet<string> openAnchors,
        ref long total)
    {
        switch (current)
        {
            case Scalar scalar:
                total++;
                if (scalar.Value.Length > MaxScalarChars)
                {
                    return At(scalar.Start, $"a value of {scalar.Value.Length} characters; at most {MaxScalarChars} are allowed");
                }

                if (!scalar.Anchor.IsEmpty)
                {
                    sizes[scalar.Anchor.Value] = 1;
                }

                break;
            case NodeEvent node when node is SequenceStart or MappingStart:
                total++;
                if (open.Count >= MaxDepth)
                {
                    return At(node.Start, $"nesting deeper than {MaxDepth}");
                }

                var anchor = node.Anchor.IsEmpty ? null : node.Anchor.Value;
                if (anchor is not null)
                {
                    openAnchors.Add(anchor);
                }

                open.Push((anchor, total));
                break;
            case SequenceEnd or MappingEnd when open.Count > 0:
                var (closed, before) = open.Pop();
                if (closed is not null)
                {
                    openAnchors.Remove(closed);
                    sizes[closed] = total - before + 1;
                }

                break;
            case AnchorAlias alias:
                if (openAnchors.Contains(alias.Value.Value))
                {
                    return At(alias.Start, $"alias *{alias.Value.Value} refers to a node that contains it");
                }

                total += sizes.GetValueOrDefault(alias.Value.Value, 1);
                break;
        }

        // Said as it is: a file of plain keys that crosses the limit has no alias to blame.
        return total <= MaxExpandedNodes ? null
            : current is AnchorAlias ? At(current.Start, $"aliases expand the document to more than {MaxExpandedNodes} nodes")
            : At(current.Start, $"the document has more than {MaxExpandedNodes} nodes (values, lists and mappings; an alias counts as what it stands for)");
    }

    private static YamlLimitError At(Mark mark, string message) =>
        new((int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column), message);
}
