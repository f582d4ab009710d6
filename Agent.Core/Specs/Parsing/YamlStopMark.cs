using YamlDotNet.Core;

namespace GradientNode.Core.Specs.Parsing;

/// <summary>
/// Where YamlDotNet's parser last got to, for the failures that carry no position: on some unclosed flow collections
/// (<c>listen: [http://…</c> followed by more keys) it throws <see cref="InvalidOperationException"/> instead of a
/// <see cref="YamlException"/>. Shared by the spec loader and node.yaml, so both say <c>file:line:col</c>.
/// </summary>
public static class YamlStopMark
{
    /// <summary>What the error says at <see cref="Find"/>'s position.</summary>
    public const string Message = "invalid YAML: the parser stopped after this point (check for an unclosed '[', '{' or quote)";

    /// <summary>The end of the last event parsed, or the position of the first syntax error found on the way.</summary>
    public static Mark Find(string text)
    {
        var mark = new Mark();
        try
        {
            var parser = new Parser(new StringReader(text));
            while (parser.MoveNext())
            {
                mark = parser.Current?.End ?? mark;
            }
        }
        catch (YamlException e)
        {
            return e.Start;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet fails this way on some unclosed flow collections; the last event is the best position.
        }

        return mark;
    }
}
