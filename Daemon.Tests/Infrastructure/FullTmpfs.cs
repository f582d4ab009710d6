using System.Diagnostics;
using NUnit.Framework;

namespace GradientNode.Tests.Infrastructure;

/// <summary>
/// A small tmpfs (root only) that <see cref="Fill"/> fills to the last block: a real "No space left on device" for the
/// code under test, where folders still can be made (they take no blocks on tmpfs) but no file can grow. Unmounted and
/// removed on dispose.
/// </summary>
internal sealed class FullTmpfs : IDisposable
{
    private FullTmpfs(string path) => Path = path;

    public string Path { get; }

    /// <summary>Mounts one at a fresh temp folder; ends the test unless the process is root.</summary>
    public static FullTmpfs Mount()
    {
        TestEnvironment.RequireRoot("needs root to mount a small tmpfs as a full disk");
        var path = Directory.CreateTempSubdirectory("gn-full-disk-").FullName;
        Run("mount", "-t", "tmpfs", "-o", "size=256k,mode=0700", "tmpfs", path);
        return new FullTmpfs(path);
    }

    /// <summary>Writes a filler file until the file system refuses another byte.</summary>
    public void Fill()
    {
        using var filler = new FileStream(System.IO.Path.Combine(Path, "filler"), FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1);
        var block = new byte[4096];
        try
        {
            while (true)
            {
                filler.Write(block);
            }
        }
        catch (IOException)
        {
            // full
        }

        try
        {
            while (true)
            {
                filler.Write(block, 0, 1);
            }
        }
        catch (IOException)
        {
            // full to the byte
        }
    }

    /// <summary>Gives back the filler's last <paramref name="bytes"/>, so that a small write still fits and a large one does not.</summary>
    public void Free(int bytes)
    {
        using var filler = new FileStream(System.IO.Path.Combine(Path, "filler"), FileMode.Open, FileAccess.Write);
        filler.SetLength(Math.Max(0, filler.Length - bytes));
    }

    /// <summary>Remounts it read-only (<c>true</c>) or writable again: a real "Read-only file system" (EROFS), even for root.</summary>
    public void ReadOnly(bool readOnly) => Run("mount", "-o", readOnly ? "remount,ro" : "remount,rw", Path);

    public void Dispose()
    {
        Run("umount", Path);
        Directory.Delete(Path);
    }

    private static void Run(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, UseShellExecute = false })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, $"{file} {string.Join(' ', args)}: {error}");
    }
}
