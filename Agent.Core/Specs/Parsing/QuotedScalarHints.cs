namespace GradientNode.Core.Specs.Parsing;

/// <summary>
/// What to do about YamlDotNet's errors inside a quoted value, whose words name the scanner's state and no cause
/// (newuser14): a quote never closed (<c>value: "abc</c>: "while scanning a quoted scalar, found unexpected end of
/// stream", or "… multi-line double-quoted scalar, found wrong indentation" when more keys follow), a backslash in double
/// quotes (<c>"C:\data"</c>: "found unknown escape character"), and a quote inside a value quoted with the same mark
/// (<c>'it's'</c>), which ends the value early, so YamlDotNet's "did not find expected key" got the hint for a line out
/// of step. Each error stays at the position YamlDotNet gives: the opening quote for the first two, the character after
/// the early closing quote for the third.
/// </summary>
internal static class QuotedScalarHints
{
    public const string Unclosed =
        "(the quote that opens here is never closed: end the value with the same quote mark on its line; a quoted value that goes on over "
        + "several lines needs those lines indented deeper than its key)";

    public const string Escape =
        "(inside double quotes a backslash starts an escape such as \\n or \\t: write each plain \\ as \\\\, or quote the value with single "
        + "quotes, in which a backslash is plain text)";

    public const string EarlyEnd =
        "(the quote before this ends the quoted value, so the rest of the line is left over: inside '...' write a ' as '', inside \"...\" "
        + "write a \" as \\\", or quote the value with the other mark)";

    /// <summary>
    /// The hint for <paramref name="message"/> (YamlDotNet's, lowercased) at 1-based <paramref name="column"/> of
    /// <paramref name="line"/>, or null when the error is not about a quoted value.
    /// </summary>
    public static string? For(string message, string line, long column)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(line);
        if (message.Contains("quoted scalar, found unexpected end of stream", StringComparison.Ordinal)
            || message.Contains("multi-line double-quoted scalar, found wrong indentation", StringComparison.Ordinal))
        {
            return Unclosed;
        }

        if (message.Contains("quoted scalar, found unknown escape character", StringComparison.Ordinal))
        {
            return Escape;
        }

        return message.Contains("did not find expected key", StringComparison.Ordinal) && EndsQuoteEarly(line, column) ? EarlyEnd : null;
    }

    /// <summary>
    /// True when the character before <paramref name="column"/> closes a value that a quote of the same mark opened right
    /// after <c>: </c> or <c>- </c> on this line, and the error stands on something that is not a space or a comment.
    /// </summary>
    private static bool EndsQuoteEarly(string line, long column)
    {
        var at = (int)column - 1;
        if (at < 1 || at >= line.Length || line[at] is ' ' or '#' || line[at - 1] is not ('\'' or '"'))
        {
            return false;
        }

        var mark = line[at - 1];
        var open = line.IndexOf(mark, StringComparison.Ordinal);
        return open < at - 1 && open >= 2 && line[open - 1] == ' ' && line[open - 2] is ':' or '-';
    }
}
