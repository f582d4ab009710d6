namespace GradientNode.Daemon.Cli;

/// <summary>The columns of the terminal that stdout writes to.</summary>
internal static class TerminalWidth
{
    /// <summary>stdout's terminal width; null when stdout is not a terminal (a pipe, a file) or its width is unknown.</summary>
    public static int? OfStdout()
    {
        if (Console.IsOutputRedirected)
        {
            return null;
        }

        try
        {
            return Console.WindowWidth is > 0 and var width ? width : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
