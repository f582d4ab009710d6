using System.Diagnostics;
using NUnit.Framework;

namespace GradientNode.Tests.Infrastructure;

/// <summary>
/// A small ext4 file system (root only) on a loop device, mounted at a fresh temp folder: its limits are ext4's whatever
/// file system the tests' temp folder is on (tmpfs has no hard link limit; ext4 allows 65,000 links to one file).
/// Unmounted and removed on dispose.
/// </summary>
internal sealed class Ext4Image : IDisposable
{
    /// <summary>The most names one file may have on ext4 (<c>EXT4_LINK_MAX</c>).</summary>
    public const int MaxLinks = 65_000;

    private readonly string _image;

    private Ext4Image(string image, string path)
    {
        _image = image;
        Path = path;
    }

    public string Path { get; }

    /// <summary>Makes and mounts an image of <paramref name="megabytes"/> MiB; ends the test unless the process is root.</summary>
    public static Ext4Image Mount(int megabytes)
    {
        TestEnvironment.RequireRoot("needs root to mount a small ext4 image on a loop device");
        var folder = Directory.CreateTempSubdirectory("gn-ext4-").FullName;
        var image = System.IO.Path.Combine(folder, "fs.img");
        var path = System.IO.Path.Combine(folder, "mnt");
        Directory.CreateDirectory(path);
        using (var file = File.Create(image))
        {
            file.SetLength((long)megabytes << 20);
        }

        Run("mkfs.ext4", "-q", "-F", "-N", "131072", image); // inodes for 65,000 empty files and more
        Run("mount", "-t", "ext4", "-o", "loop", image, path);
        return new Ext4Image(image, path);
    }

    public void Dispose()
    {
        Run("umount", Path);
        Directory.Delete(System.IO.Path.GetDirectoryName(_image)!, recursive: true);
    }

    private static void Run(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false })!;
        var error = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, $"{file} {string.Join(' ', args)}: {error}");
    }
}
