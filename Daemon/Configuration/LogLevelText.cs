using GradientNode.Daemon.Cli;
using Microsoft.Extensions.Logging;

namespace GradientNode.Daemon.Configuration;

/// <summary>
/// <c>GRADIENT_LOG_LEVEL</c>: a <see cref="LogLevel"/> name in any case, or <c>warn</c>, <c>info</c>, <c>err</c>,
/// <c>crit</c>; empty or unset is none (Information). Anything else is a usage error before any role starts, as every
/// other setting's is. Before, <c>warn</c>, <c>verbose</c> or a typo was ignored without a word and the node logged at
/// Information, while a number such as <c>7</c> was taken.
/// </summary>
internal static class LogLevelText
{
    public const string Variable = "GRADIENT_LOG_LEVEL";

    private static readonly LogLevel[] Levels =
        [LogLevel.Trace, LogLevel.Debug, LogLevel.Information, LogLevel.Warning, LogLevel.Error, LogLevel.Critical, LogLevel.None];

    private static readonly Dictionary<string, LogLevel> ShortNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["warn"] = LogLevel.Warning,
        ["info"] = LogLevel.Information,
        ["err"] = LogLevel.Error,
        ["crit"] = LogLevel.Critical,
    };

    public static LogLevel? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var value = text.Trim();
        foreach (var level in Levels)
        {
            if (string.Equals(level.ToString(), value, StringComparison.OrdinalIgnoreCase))
            {
                return level;
            }
        }

        // The short names other tools write (Go's slog, Serilog, logrus, syslog) mean what they say.
        if (ShortNames.TryGetValue(value, out var named))
        {
            return named;
        }

        var meant = value.Length >= 3 ? Levels.FirstOrDefault(l => l.ToString().StartsWith(value, StringComparison.OrdinalIgnoreCase), LogLevel.None) : LogLevel.None;
        var hint = meant is LogLevel.None ? string.Empty : $"; did you mean '{meant}'?";
        throw new UsageException($"{Variable} wants Trace, Debug, Information, Warning or Error (or Critical, None), got '{value}'{hint}");
    }
}
