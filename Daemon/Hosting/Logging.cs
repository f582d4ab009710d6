using GradientNode.Daemon.Cli.Terminal;
using GradientNode.Daemon.Configuration;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging.Console;

namespace GradientNode.Daemon.Hosting;

/// <summary>
/// One line per event. In a terminal: with a UTC time stamp. As a systemd service (detected as
/// Microsoft.Extensions.Hosting.Systemd's <c>UseSystemd()</c> does it, <see cref="SystemdHelpers.IsSystemdService"/>):
/// the systemd console format (<c>&lt;6&gt;</c> priority prefixes, no time stamp of our own: the journal keeps its own).
/// Every control character but the line's end is written as text (<c>\x1b</c>, <c>\x0d</c>, <c>\u009b</c>; the
/// CLI's <see cref="TerminalSafeWriter.Fields"/>): a log line quotes text that others wrote (a registry's or a git
/// server's error, which the spec's author chose, an engine's answer, a spec's values), and under <c>up</c> the log is
/// the operator's terminal, where an escape sequence would set its title, clear it or write its clipboard, and a
/// carriage return would print a forged line over the real one; in the journal it hides the line as blob data.
/// </summary>
internal static class Logging
{
    private static readonly Lock Guard = new();
    private static TextWriter? _escapedOut;
    private static TextWriter? _escapedError;

    public static void Configure(ILoggingBuilder logging)
    {
        EscapeConsoleControls();
        logging.ClearProviders();
        if (SystemdHelpers.IsSystemdService())
        {
            logging.AddSystemdConsole(console => console.TimestampFormat = null);
        }
        else
        {
            logging.AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                console.UseUtcTimestamp = true;
                console.ColorBehavior = LoggerColorBehavior.Disabled;
            });
        }

        logging.SetMinimumLevel(LogLevel.Information);
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        logging.AddFilter("Yarp", LogLevel.Warning);
        // Checked before any role starts (NodeOptionsLoader), so a value that does not parse never reaches here.
        if (LogLevelText.Parse(Environment.GetEnvironmentVariable(LogLevelText.Variable)) is { } level)
        {
            logging.SetMinimumLevel(level);
        }
    }

    /// <summary>
    /// Puts <see cref="TerminalSafeWriter.Fields"/> in front of standard output and error, where the console logger
    /// writes (it takes <see cref="Console.Out"/> when its provider is made, after this); once, however often it is
    /// called (<c>up</c> configures its two roles).
    /// </summary>
    private static void EscapeConsoleControls()
    {
        lock (Guard)
        {
            if (!ReferenceEquals(Console.Out, _escapedOut))
            {
                Console.SetOut(TerminalSafeWriter.Fields(Console.Out));
                _escapedOut = Console.Out; // SetOut keeps a synchronized wrapper of it
            }

            if (!ReferenceEquals(Console.Error, _escapedError))
            {
                Console.SetError(TerminalSafeWriter.Fields(Console.Error));
                _escapedError = Console.Error;
            }
        }
    }
}
