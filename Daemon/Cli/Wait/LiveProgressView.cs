namespace GradientNode.Daemon.Cli.Wait;

/// <summary>
/// A terminal: one block redrawn in place (cursor up over the previous block, clear to the end of the screen), with
/// progress bars for the pull and downloads, and colours for the states.
/// </summary>
internal sealed class LiveProgressView(TextWriter output, int width = 80) : IProgressView
{
    private const string Escape = "\u001b[";
    private const int BarWidth = 24;
    private int _drawn;

    public void Show(IReadOnlyList<ProgressFact> facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var lines = facts.Select(Line).ToList();
        Erase();
        foreach (var line in lines)
        {
            output.Write(line);
            output.Write('\n');
        }

        _drawn = lines.Count;
        output.Flush();
    }

    public void Finish(string line)
    {
        line = Terminal.TerminalFilter.Field(line); // its line breaks are kept: it is printed below the block, never redrawn
        output.Write($"{Colour(line)}{line}{Escape}0m\n");
        output.Flush();
    }

    private void Erase()
    {
        if (_drawn > 0)
        {
            output.Write($"{Escape}{_drawn}F{Escape}J");
        }
    }

    private string Line(ProgressFact fact)
    {
        var bar = fact.Fraction is { } f ? $"[{new string('#', (int)Math.Round(f * BarWidth))}{new string('-', BarWidth - (int)Math.Round(f * BarWidth))}] " : string.Empty;
        var text = $"{fact.Key,-12} {bar}{Safe(fact.Text)}";
        if (text.Length > width - 1)
        {
            text = text[..(width - 2)] + "…";
        }

        var colour = Colour(fact.Text);
        return colour.Length == 0 ? text : $"{colour}{text}{Escape}0m";
    }

    /// <summary>
    /// A replica's message or a warning as one line of the block: its control characters shown as text (the block's own
    /// escapes are the only ones the terminal gets) and its line breaks as spaces (so that the redraw erases every line it drew).
    /// </summary>
    private static string Safe(string text) => Terminal.TerminalFilter.Field(text).Replace('\n', ' ').Replace('\t', ' ');

    private static string Colour(string text) =>
        text.StartsWith("ready", StringComparison.Ordinal) || text.StartsWith("Ready", StringComparison.Ordinal) || text.StartsWith("rolled out", StringComparison.Ordinal) ? $"{Escape}32m"
        : text.Contains("crash", StringComparison.Ordinal) || text.StartsWith("Failed", StringComparison.Ordinal) || text.StartsWith("failed", StringComparison.Ordinal) || text.StartsWith("Degraded", StringComparison.Ordinal) ? $"{Escape}31m"
        : string.Empty;
}
