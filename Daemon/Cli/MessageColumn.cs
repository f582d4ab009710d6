namespace GradientNode.Daemon.Cli;

/// <summary>
/// The MESSAGE column of a table (<c>ls</c>, <c>get</c>'s replica lines, <c>workflows runs</c>, <c>datasets versions</c>):
/// one line (line breaks become spaces) of at most <see cref="MaxWidth"/> columns and, with a terminal's width, at most what
/// the other columns leave of the line; a longer one is cut with <c>…</c>. The whole message stays where each command shows
/// it in full (<c>get</c>'s <c>State:</c> line, <c>ls -o wide</c>, <c>workflows get</c>, <c>-o json</c>).
/// </summary>
internal static class MessageColumn
{
    /// <summary>
    /// The widest MESSAGE a table prints, on a terminal or not: a message never wraps a terminal of 120 columns by itself
    /// (an unknown machine type's list of all known types, a long engine answer), as <c>kubectl get</c> cuts its columns.
    /// </summary>
    public const int MaxWidth = 100;

    /// <summary>The narrowest MESSAGE column worth cutting to: on a terminal narrower than that, rows wrap as they are.</summary>
    private const int MinimumWidth = 20;

    /// <summary><paramref name="text"/> with its line breaks (and the spaces around them) made single spaces.</summary>
    public static string OneLine(string text) =>
        text.AsSpan().IndexOfAny('\r', '\n') < 0 ? text : string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>
    /// Makes the last cell of every row (the header's included) one line of at most <see cref="MaxWidth"/> columns and, with
    /// <paramref name="width"/> (a terminal's columns), at most what the other columns (two spaces apart, as
    /// <see cref="StatusPrinter.WriteColumns"/> prints them) leave of it, unless that is under 20 columns.
    /// </summary>
    public static void Cut(List<string[]> rows, int? width = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return;
        }

        var last = rows[0].Length - 1;
        var cut = MaxWidth;
        if (width is { } columns)
        {
            var left = columns - Enumerable.Range(0, last).Sum(c => rows.Max(r => DisplayWidth.Of(r[c])) + 2);
            if (left >= MinimumWidth)
            {
                cut = Math.Min(cut, left);
            }
        }

        foreach (var row in rows)
        {
            row[last] = DisplayWidth.Cut(OneLine(row[last]), cut);
        }
    }
}
