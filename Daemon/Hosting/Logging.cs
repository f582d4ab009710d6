using Microsoft.Extensions.Logging.Console;

namespace GradientNode.Daemon.Hosting;

/// <summary>One line per event with a UTC time stamp: readable in a terminal and in the journal.</summary>
internal static class Logging
{
    public static void Configure(ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            console.UseUtcTimestamp = true;
            console.ColorBehavior = LoggerColorBehavior.Disabled;
        });
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
