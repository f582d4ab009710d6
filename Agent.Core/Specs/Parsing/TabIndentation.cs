using System.Text.RegularExpressions;

namespace GradientNode.Core.Specs.Parsing;

/// <summary>
/// Locates the tab behind a YamlDotNet "tab" syntax error. YamlDotNet reports those where the enclosing mapping or the
/// scalar before the tab starts (often 1:1), not at the tab; YAML allows only spaces for indentation.
/// </summary>
internal static partial class TabIndentation
{
    public const string Message = "invalid YAML: a tab indents this line; YAML allows only spaces for indentation";

    /// <summary>True when YamlDotNet's message is about a tab.</summary>
    public static bool IsTabError(string message) => TabWord().IsMatch(message);

    /// <summary>
    /// The 1-based line and column of the first tab in the leading whitespace of a line at or after
    /// <paramref name="fromLine"/>; null when there is none.
    /// </summary>
    public static (int Line, int Column)? Find(string text, long fromLine)
    {
        ArgumentNullException.ThrowIfNull(text);
        var line = 1;
        var start = 0;
        while (start <= text.Length)
        {
            var end = text.IndexOf('\n', start);
            if (end < 0)
            {
                end = text.Length;
            }

            if (line >= fromLine)
            {
                for (var i = start; i < end && text[i] is ' ' or '\t'; i++)
                {
                    if (text[i] == '\t')
                    {
                        return (line, i - start + 1);
                    }
                }
            }

            line++;
            start = end + 1;
        }

        return null;
    }

    [GeneratedRegex(@"\btab\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TabWord();
}
