using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging.Console;

namespace GradientNode.Daemon.Hosting;

/// <summary>
/// One line per event. In a terminal: with a UTC time stamp. As a systemd service (detected as
/// Microsoft.Extensions.Hosting.Systemd's <c>UseSystemd()</c> does it, <see cref="SystemdHelpers.IsSystemdService"/>):
/// the systemd console format (<c>&lt;6&gt;</c> priority prefixes, no time stamp of our own: the journal keeps its own).
/// </summary>
internal static class Logging
{
    public static void Configure(ILoggingBuilder logging)
    {
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
        if (Environment.GetEnvironmentVariable("GRADIENT_LOG_LEVEL") is { Length: > 0 } level && Enum.TryParse<LogLevel>(level, true, out var parsed))
        {
            logging.SetMinimumLevel(parsed);
        }
    }
}
