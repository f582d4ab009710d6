using System.Buffers;
using System.Globalization;
using System.Text;

namespace GradientNode.Daemon.Cli.Terminal;

/// <summary>
/// Makes text that a container or a spec author controls harmless to the reader's terminal: every control character
/// (C0 <c>U+0000–U+001F</c>, DEL, C1 <c>U+0080–U+009F</c>) is shown as text, <c>\x1b</c> for a C0 one or DEL and
/// <c>\u009b</c> for a C1 one, so no OSC 52 clipboard write, window title, cursor move, <c>ESC c</c> reset, DCS sequence,
/// NUL, BEL or backspace reaches the terminal. <c>\n</c> and <c>\t</c> are kept. <see cref="ForLogs"/> also keeps <c>\r</c>
/// (training progress bars) and SGR colour sequences (<c>ESC [</c>, digits and <c>;</c> only, <c>m</c>); an escape
/// sequence of any other shape has its <c>ESC</c> shown as <c>\x1b</c> and the rest printed as the plain text it is.
/// Stateful: an SGR sequence split between two <see cref="Feed"/> calls is kept whole. Invalid UTF-8 is the decoder's
/// business (<see cref="TerminalSafeStream"/>: U+FFFD). Not thread-safe.
/// </summary>
internal sealed class TerminalFilter
{
    private const char Escape = '\u001b';

    /// <summary>Longest SGR sequence kept (<c>ESC [ 38;2;255;255;255;48;2;255;255;255 m</c> is 38): longer is shown as text.</summary>
    private const int MaxSequence = 64;

    /// <summary>Every character <see cref="IsControl"/> calls one: a field without any is returned as it is.</summary>
    private static readonly SearchValues<char> Controls = SearchValues.Create([.. Enumerable.Range(0, 0xa0).Select(i => (char)i).Where(IsControl)]);

    private readonly bool _logs;
    private readonly StringBuilder _pending = new();

    private TerminalFilter(bool logs) => _logs = logs;

    /// <summary>For a log stream: keeps <c>\n</c>, <c>\t</c>, <c>\r</c> and SGR colour sequences.</summary>
    public static TerminalFilter ForLogs() => new(logs: true);

    /// <summary>For a field in a table or a message (one replica's message, a job's exit reason): keeps <c>\n</c> and <c>\t</c> only.</summary>
    public static TerminalFilter ForFields() => new(logs: false);

    /// <summary><paramref name="text"/> made safe as a field (<see cref="ForFields"/>); the same string when it has no control character.</summary>
    public static string Field(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.AsSpan().ContainsAny(Controls))
        {
            return text;
        }

        var output = new StringBuilder(text.Length + 16);
        var filter = ForFields();
        filter.Feed(text, output);
        filter.Finish(output);
        return output.ToString();
    }

    /// <summary>Appends the safe form of <paramref name="text"/> to <paramref name="output"/>; an SGR sequence not yet complete waits for the next call.</summary>
    public void Feed(ReadOnlySpan<char> text, StringBuilder output)
    {
        ArgumentNullException.ThrowIfNull(output);
        foreach (var c in text)
        {
            Next(c, output);
        }
    }

    /// <summary>Appends what waits (an unfinished escape sequence, shown as text): the end of the output.</summary>
    public void Finish(StringBuilder output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (_pending.Length > 0)
        {
            Shown(Escape, output);
            output.Append(_pending, 1, _pending.Length - 1);
            _pending.Clear();
        }
    }

    /// <summary>Whether <paramref name="c"/> is shown as text (<see cref="ForFields"/> rules, <c>\r</c> included).</summary>
    public static bool IsControl(char c) => (c < ' ' && c is not ('\n' or '\t')) || c is '\u007f' or (>= '\u0080' and <= '\u009f');

    private void Next(char c, StringBuilder output)
    {
        if (_pending.Length > 0)
        {
            if (_pending.Length == 1 ? c == '[' : c is (>= '0' and <= '9') or ';' && _pending.Length < MaxSequence)
            {
                _pending.Append(c);
                return;
            }

            if (c == 'm' && _pending.Length >= 2)
            {
                output.Append(_pending).Append(c);
                _pending.Clear();
                return;
            }

            Finish(output);
        }

        if (_logs && c == Escape)
        {
            _pending.Append(c);
        }
        else if (IsControl(c) && !(_logs && c == '\r'))
        {
            Shown(c, output);
        }
        else
        {
            output.Append(c);
        }
    }

    private static void Shown(char c, StringBuilder output) =>
        output.Append(c < '\u0080' ? string.Create(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}") : string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"));
}
