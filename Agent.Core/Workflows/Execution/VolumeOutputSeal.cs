using System.Runtime.InteropServices;
using GradientNode.Core.Common;

namespace GradientNode.Core.Workflows.Execution;

/// <summary>
/// What a job left in a volume output that would give a later job more than files. A volume reaches the jobs that take
/// it as a read-only bind mount, and Docker's bind mounts have no <c>nosuid</c>/<c>nodev</c> (the Engine API's
/// <c>BindOptions</c> has no such field, and runc's read-only remount drops them even where the host folder has them),
/// so a job running as root (in its container) could leave a setuid-root shell, or one with file capabilities
/// (<c>security.capability</c>: Docker's default capabilities include <c>SETFCAP</c>), for a later job that runs as
/// another user to become root in its container; and a device node (<c>CAP_MKNOD</c>) of a host disk. Once the job's
/// container is gone and before any other job mounts its volumes, <see cref="Seal"/> clears setuid and setgid bits of
/// regular files, removes their file capabilities, and removes block and character device nodes. Links, fifos, sockets
/// and folders stay (a link resolves inside the reading container).
/// </summary>
public static partial class VolumeOutputSeal
{
    private const uint SetIds = 0xC00; // S_ISUID | S_ISGID
    private const int NoData = 61; // ENODATA: no such attribute
    private const int NotSupported = 95; // EOPNOTSUPP: the file system has no xattrs

    /// <summary>Seals <paramref name="folder"/> and everything under it, without following links; what it changed, counted.</summary>
    public static VolumeSealCount Seal(string folder, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var count = new VolumeSealCount(0, 0, 0);
        if (!OperatingSystem.IsLinux() || !Directory.Exists(folder))
        {
            return count;
        }

        var pending = new Stack<string>();
        pending.Push(folder);
        while (pending.TryPop(out var dir))
        {
            foreach (var path in Directory.EnumerateFileSystemEntries(dir))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!FileStatus.TryOf(path, followLinks: false, out var status))
                {
                    continue;
                }

                switch (status.Type)
                {
                    case 0x4000: // a folder
                        pending.Push(path);
                        break;
                    case 0x2000 or 0x6000: // a character or block device
                        File.Delete(path);
                        count = count with { DevicesRemoved = count.DevicesRemoved + 1 };
                        break;
                    case 0x8000:
                        count = SealFile(path, status, count);
                        break;
                }
            }
        }

        return count;
    }

    /// <summary><see cref="Seal"/>, or why it could not (the file and the reason; <see cref="FileProblem"/>).</summary>
    public static string? TrySeal(string folder, CancellationToken cancellationToken)
    {
        try
        {
            Seal(folder, cancellationToken);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return FileProblem.Describe(ex);
        }
    }

    private static VolumeSealCount SealFile(string path, FileStatus status, VolumeSealCount count)
    {
        if ((status.Mode & SetIds) != 0)
        {
            File.SetUnixFileMode(path, (UnixFileMode)(status.Mode & 0x3FF)); // the permission and sticky bits: no setuid/setgid
            count = count with { SetIdsCleared = count.SetIdsCleared + 1 };
        }

        if (RemoveXattr(path, "security.capability") == 0)
        {
            count = count with { CapabilitiesRemoved = count.CapabilitiesRemoved + 1 };
        }
        else if (Marshal.GetLastPInvokeError() is not (NoData or NotSupported) and var errno)
        {
            throw new IOException($"cannot remove the file capabilities of {path}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        }

        return count;
    }

    [LibraryImport("libc", EntryPoint = "lremovexattr", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int RemoveXattr(string path, string name);
}
