using System.Globalization;

namespace GradientNode.Daemon.Hosting;

/// <summary>
/// Signals this process was started with set to "ignore", as <c>nohup</c> does to SIGHUP and a shell does to SIGINT and
/// SIGQUIT for a command it runs in the background. .NET keeps an ignore it inherited: a
/// <see cref="System.Runtime.InteropServices.PosixSignalRegistration"/> for such a signal never runs, so
/// <c>kill -HUP</c> would silently not reload. Read from the <c>SigIgn</c> mask of <c>/proc/self/status</c>.
/// </summary>
internal static class InheritedSignals
{
    public const int Hangup = 1;

    public const int Interrupt = 2;

    /// <summary>Whether <paramref name="signal"/> is set in the <c>SigIgn:</c> line of a <c>/proc/PID/status</c> text; false when there is none.</summary>
    public static bool IsIgnored(string status, int signal)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentOutOfRangeException.ThrowIfLessThan(signal, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(signal, 64);
        foreach (var line in status.AsSpan().EnumerateLines())
        {
            if (line.StartsWith("SigIgn:", StringComparison.Ordinal)
                && ulong.TryParse(line["SigIgn:".Length..].Trim(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var mask))
            {
                return (mask & (1UL << (signal - 1))) != 0;
            }
        }

        return false;
    }

    /// <summary>Whether this process ignores SIGHUP; false where <c>/proc</c> cannot be read.</summary>
    public static bool HangupIgnored() => SelfIgnores(Hangup);

    /// <summary>Whether this process ignores SIGINT (a non-interactive shell's background command); false where <c>/proc</c> cannot be read.</summary>
    public static bool InterruptIgnored() => SelfIgnores(Interrupt);

    private static bool SelfIgnores(int signal)
    {
        try
        {
            return IsIgnored(File.ReadAllText("/proc/self/status"), signal);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
