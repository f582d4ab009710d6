using System.Globalization;
using System.Text;

namespace GradientNode.Daemon.Cli;

/// <summary>
/// How many terminal columns a text takes, as wcwidth counts them: East Asian wide and full-width characters and
/// emoji take two, combining marks and format characters none, a control character the columns of the text the CLI
/// shows it as (<c>\x1b</c> 4, <c>\u009b</c> 6; <c>\n</c> and <c>\t</c> none), the rest one. Tables pad by this, not by UTF-16
/// length, so that a deployment named <c>日本語 app</c> or <c>Café ✨</c> does not push its row's columns out of line.
/// </summary>
internal static class DisplayWidth
{
    private static readonly (int First, int Last)[] Wide =
    [
        (0x1100, 0x115F), (0x231A, 0x231B), (0x2329, 0x232A), (0x23E9, 0x23EC), (0x23F0, 0x23F0), (0x23F3, 0x23F3),
        (0x25FD, 0x25FE), (0x2614, 0x2615), (0x2648, 0x2653), (0x267F, 0x267F), (0x2693, 0x2693), (0x26A1, 0x26A1),
        (0x26AA, 0x26AB), (0x26BD, 0x26BE), (0x26C4, 0x26C5), (0x26CE, 0x26CE), (0x26D4, 0x26D4), (0x26EA, 0x26EA),
        (0x26F2, 0x26F3), (0x26F5, 0x26F5), (0x26FA, 0x26FA), (0x26FD, 0x26FD), (0x2705, 0x2705), (0x270A, 0x270B),
        (0x2728, 0x2728), (0x274C, 0x274C), (0x274E, 0x274E), (0x2753, 0x2755), (0x2757, 0x2757), (0x2795, 0x2797),
        (0x27B0, 0x27B0), (0x27BF, 0x27BF), (0x2B1B, 0x2B1C), (0x2B50, 0x2B50), (0x2B55, 0x2B55), (0x2E80, 0x303E),
        (0x3041, 0x33FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xA000, 0xA4CF), (0xA960, 0xA97F), (0xAC00, 0xD7A3),
        (0xF900, 0xFAFF), (0xFE10, 0xFE19), (0xFE30, 0xFE6F), (0xFF00, 0xFF60), (0xFFE0, 0xFFE6), (0x1F004, 0x1F004),
        (0x1F0CF, 0x1F0CF), (0x1F18E, 0x1F18E), (0x1F191, 0x1F19A), (0x1F200, 0x1F2FF), (0x1F300, 0x1F64F),
        (0x1F680, 0x1F6FF), (0x1F7E0, 0x1F7EB), (0x1F900, 0x1F9FF), (0x1FA70, 0x1FAFF), (0x20000, 0x3FFFD),
    ];

    /// <summary>The columns <paramref name="text"/> takes on a terminal.</summary>
    public static int Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var width = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            width += Of(rune);
        }

        return width;
    }

    /// <summary><paramref name="text"/> followed by spaces up to <paramref name="columns"/> terminal columns.</summary>
    public static string PadRight(string text, int columns) => text + new string(' ', Math.Max(0, columns - Of(text)));

    /// <summary>
    /// <paramref name="text"/> when it fits in <paramref name="columns"/> terminal columns; otherwise as many whole
    /// characters as fit in one column fewer, then <c>…</c>.
    /// </summary>
    public static string Cut(string text, int columns)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Of(text) <= columns)
        {
            return text;
        }

        var kept = new StringBuilder();
        var used = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            var next = Of(rune);
            if (used + next > columns - 1)
            {
                break;
            }

            kept.Append(rune.ToString());
            used += next;
        }

        return kept.Append('…').ToString();
    }

    private static int Of(Rune rune)
    {
        if (rune.IsBmp && Terminal.TerminalFilter.IsControl((char)rune.Value))
        {
            // Printed as text by the CLI's writers (Terminal.TerminalSafeWriter): \x1b takes 4 columns, \u009b 6.
            return rune.Value < 0x80 ? 4 : 6;
        }

        switch (Rune.GetUnicodeCategory(rune))
        {
            case UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format or UnicodeCategory.Control:
                return 0;
        }

        var value = rune.Value;
        foreach (var (first, last) in Wide)
        {
            if (value < first)
            {
                return 1;
            }

            if (value <= last)
            {
                return 2;
            }
        }

        return 1;
    }
}
