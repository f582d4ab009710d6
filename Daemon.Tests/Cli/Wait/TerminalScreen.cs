using System.Text;
using System.Text.RegularExpressions;

namespace GradientNode.Tests.Cli.Wait;

/// <summary>
/// Replays what a program wrote to a terminal and returns the final screen: handles newlines, ESC[nF (cursor up n lines,
/// to column 0), ESC[J (clear to the end of the screen) and drops other sequences (colours ESC[…m, modes ESC[?…h, ESC=).
/// Enough for the live block.
/// </summary>
internal static partial class TerminalScreen
{
    public static IReadOnlyList<string> Render(string written)
    {
        var lines = new List<StringBuilder> { new() };
        var row = 0;
        var at = 0;
        while (at < written.Length)
        {
            if (Control().Match(written, at) is { Success: true } match && match.Index == at)
            {
                var count = match.Groups[1].Value.Length == 0 || match.Groups[1].Value.Contains('?', StringComparison.Ordinal) || match.Groups[1].Value.Contains(';', StringComparison.Ordinal)
                    ? 1
                    : int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                switch (match.Groups[2].Value)
                {
                    case "F":
                        row = Math.Max(0, row - count);
                        lines[row].Clear();
                        break;
                    case "J":
                        lines[row].Clear();
                        lines.RemoveRange(row + 1, lines.Count - row - 1);
                        break;
                }

                at += match.Length;
                continue;
            }

            if (written[at] == '\n')
            {
                row++;
                if (row == lines.Count)
                {
                    lines.Add(new StringBuilder());
                }
            }
            else
            {
                lines[row].Append(written[at]);
            }

            at++;
        }

        return [.. lines.Select(l => l.ToString()).Take(lines.Count - (lines[^1].Length == 0 ? 1 : 0))];
    }

    [GeneratedRegex(@"\u001b(?:\[([?0-9;]*)([A-Za-z])|[=>])")]
    private static partial Regex Control();
}
