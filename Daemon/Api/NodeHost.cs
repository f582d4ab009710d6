using System.Globalization;

namespace GradientNode.Daemon.Api;

/// <summary>
/// The machine in <c>GET /v1/node</c>: its CPUs (as the daemon's process sees them) and its memory (<c>MemTotal</c> of
/// <c>/proc/meminfo</c>, a fixed path; null where it cannot be read).
/// </summary>
internal sealed record NodeHost(int Cpus, long? MemoryBytes)
{
    public static NodeHost Current() => new(Environment.ProcessorCount, MemTotal(ReadMeminfo()));

    /// <summary>The <c>MemTotal:  16384 kB</c> line in bytes, or null.</summary>
    public static long? MemTotal(string? meminfo)
    {
        foreach (var line in (meminfo ?? string.Empty).Split('\n'))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts is ["MemTotal:", var value, "kB"] && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var kib))
            {
                return kib * 1024;
            }
        }

        return null;
    }

    private static string? ReadMeminfo()
    {
        try
        {
            return File.ReadAllText("/proc/meminfo");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
