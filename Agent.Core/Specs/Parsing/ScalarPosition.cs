using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace GradientNode.Core.Specs.Parsing;

/// <summary>
/// Where a piece of a scalar's value is in the file: a <c>${{ … }}</c> on the fifth line of a <c>|</c> script is reported at
/// that line and column, not at the <c>|</c>. Found by looking for the piece, as written, in the scalar's source text
/// (<see cref="SpecReader.Text"/>); where it is not there as written (an escape in a double-quoted string, a reader with
/// no text), the scalar's own start.
/// </summary>
internal static class ScalarPosition
{
    public static Mark Of(SpecReader reader, YamlNode node, string piece)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(piece);
        var text = reader.Text;
        var start = (int)node.Start.Index;
        var end = (int)Math.Min(node.End.Index, text?.Length ?? 0);
        if (text is null || piece.Length == 0 || start < 0 || end <= start)
        {
            return node.Start;
        }

        var at = text.IndexOf(piece, start, end - start, StringComparison.Ordinal);
        if (at < 0)
        {
            return node.Start;
        }

        var lineStart = text.LastIndexOf('\n', Math.Max(0, at - 1)) + 1;
        if (at == 0)
        {
            lineStart = 0;
        }

        var line = 1 + text.AsSpan(0, lineStart).Count('\n');
        return new Mark(at, line, at - lineStart + 1);
    }
}
