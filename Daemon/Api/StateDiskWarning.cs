using System.Globalization;

namespace GradientNode.Daemon.Api;

/// <summary>
/// A node warning when the disk of the state directory is (nearly) full: the API's file errors say "gradient-node node
/// lists its warnings", and before, on a full disk, it listed none unless a spec's last good copy had failed. Everything
/// the node keeps is written there: specs' last good copies, secrets, datasets, workflow records and kept job logs.
/// </summary>
internal static class StateDiskWarning
{
    /// <summary>At most this free counts as low on a large disk.</summary>
    private const long LowBytes = 1L << 30;

    /// <summary>On a small disk, less than this share of it free counts as low.</summary>
    private const double LowShare = 0.05;

    /// <summary>The warning for the state directory's disk, or null when it has room (or cannot be read).</summary>
    public static string? For(string stateDir)
    {
        try
        {
            var existing = Path.GetFullPath(stateDir);
            while (!Directory.Exists(existing) && Path.GetDirectoryName(existing) is { } parent)
            {
                existing = parent;
            }

            var drive = new DriveInfo(existing);
            return For(Path.GetFullPath(stateDir), drive.AvailableFreeSpace, drive.TotalSize);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The warning for <paramref name="free"/> of <paramref name="total"/> bytes, or null when that is enough room.</summary>
    public static string? For(string stateDir, long free, long total)
    {
        if (total <= 0 || free >= Math.Min(LowBytes, (long)(total * LowShare)))
        {
            return null;
        }

        return $"the state directory {stateDir} is on a disk with {Mib(free)} free of {Mib(total)}: specs' last good copies, secrets, datasets, "
            + "workflow records and kept job logs cannot be written once it is full; free space there (gradient-node datasets gc, gradient-node workflows delete NAME --all)";
    }

    private static string Mib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:0.#} MiB");
}
