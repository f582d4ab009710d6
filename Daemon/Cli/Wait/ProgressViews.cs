namespace GradientNode.Daemon.Cli.Wait;

/// <summary>Picks the view for stdout: the live block with colours on a terminal with <c>NO_COLOR</c> unset (and <c>TERM</c> not dumb), else plain lines.</summary>
internal static class ProgressViews
{
    public static bool IsLive(bool outputRedirected, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return !outputRedirected && string.IsNullOrEmpty(environment("NO_COLOR")) && environment("TERM") is not "dumb";
    }

    public static IProgressView ForConsole() =>
        IsLive(Console.IsOutputRedirected, Environment.GetEnvironmentVariable)
            ? new LiveProgressView(Console.Out, Width())
            : new LineProgressView(Terminal.TerminalSafeWriter.Fields(Console.Out), TimeProvider.System);

    private static int Width() => TerminalWidth.OfStdout() is > 20 and var width ? width : 80;
}
