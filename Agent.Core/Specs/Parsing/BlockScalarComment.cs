using System.Text.RegularExpressions;

namespace GradientNode.Core.Specs.Parsing;

/// <summary>
/// Finds the comment that ended a block scalar early: in YAML a <c>#</c> line indented less than a <c>|</c> or <c>&gt;</c>
/// block's text is a comment outside it, so the block ends there and the text's next line reads as a key out of step
/// (GRADIENT-SEMANTICS §9.7: "comment lines inside a <c>|-</c> script must keep indentation", a trap Gradient's users met).
/// The parser's own words name no cause; this names the comment and the block.
/// </summary>
internal static partial class BlockScalarComment
{
    /// <summary>The hint for a syntax error at 1-based <paramref name="errorLine"/>, or null when no such comment comes before it.</summary>
    public static string? HintFor(string text, long errorLine)
    {
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        if (errorLine < 2 || errorLine > lines.Length)
        {
            return null;
        }

        var indent = Indent(lines[errorLine - 1]);
        var i = (int)errorLine - 2;
        while (i >= 0 && lines[i].Trim().Length == 0)
        {
            i--;
        }

        if (i < 0 || !lines[i].TrimStart(' ').StartsWith('#') || Indent(lines[i]) >= indent)
        {
            return null;
        }

        var comment = i + 1;
        for (i--; i >= 0; i--)
        {
            var line = lines[i];
            if (line.Trim().Length == 0 || line.TrimStart(' ').StartsWith('#') && Indent(line) < indent)
            {
                continue;
            }

            if (Indent(line) >= indent)
            {
                continue; // the block's text
            }

            return BlockStart().IsMatch(line)
                ? $"(line {comment} is a comment indented less than the block text that starts on line {i + 1}, so it ended that block there and this line no longer belongs to it: indent the comment as deep as the block's lines, where it is part of the text, or remove it)"
                : null;
        }

        return null;
    }

    private static int Indent(string line) => line.Length - line.TrimStart(' ').Length;

    /// <summary>A line whose value is a block scalar: <c>script: |-</c>, <c>- &gt;</c>, <c>args: |2 # note</c>.</summary>
    [GeneratedRegex(@"(^|[:\-]\s+)[|>][-+0-9]*\s*(#.*)?\z")]
    private static partial Regex BlockStart();
}
