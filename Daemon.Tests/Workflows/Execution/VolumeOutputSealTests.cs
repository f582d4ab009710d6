using System.Diagnostics;
using System.Runtime.InteropServices;
using GradientNode.Core.Workflows.Execution;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Execution;

/// <summary>
/// A job running as root in its container left a setuid-root shell, a file with capabilities and a device node in a volume
/// output; the next job's read-only bind has no nosuid/nodev (found open by the twelfth adversary review, closed by the
/// thirteenth). Real files, as root makes them.
/// </summary>
[TestFixture]
[Category("Unit")]
[Platform("Linux")]
internal sealed partial class VolumeOutputSealTests
{
    private string _root = null!;

    [SetUp]
    public void SetUp()
    {
        if (Environment.UserName != "root")
        {
            Assert.Ignore("only root makes setuid-root files, device nodes and file capabilities");
        }

        _root = Directory.CreateTempSubdirectory("gn-volume-seal-").FullName;
    }

    [TearDown]
    public void TearDown()
    {
        if (_root is not null && Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Test]
    public void Seal_JobLeftSetuidFilesACapabilityAndDeviceNodes_ClearedAndRemovedLinksNotFollowed()
    {
        var volume = Directory.CreateDirectory(Path.Combine(_root, "volume")).FullName;
        var outside = Path.Combine(_root, "outside-suid");
        File.WriteAllText(outside, "x");
        File.SetUnixFileMode(outside, (UnixFileMode)0x9ED); // 4755
        var shell = MakeFile(Path.Combine(volume, "sh"), 0x9ED); // 4755
        var group = MakeFile(Path.Combine(volume, "g"), 0x5ED); // 2755
        var plain = MakeFile(Path.Combine(volume, "plain"), 0x1A4); // 0644
        var nested = MakeFile(Path.Combine(Directory.CreateDirectory(Path.Combine(volume, "a", "b")).FullName, "deep"), 0xDED); // 6755
        var capable = MakeFile(Path.Combine(volume, "cap"), 0x1ED); // 0755
        Assert.That(SetCapability(capable), Is.Zero, "the test sets a file capability: " + Marshal.GetLastPInvokeError());
        Run("mknod", Path.Combine(volume, "disk"), "b", "8", "0");
        Run("mknod", Path.Combine(volume, "a", "mem"), "c", "1", "1");
        File.CreateSymbolicLink(Path.Combine(volume, "link"), outside);

        var count = VolumeOutputSeal.Seal(volume, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(count, Is.EqualTo(new VolumeSealCount(SetIdsCleared: 3, CapabilitiesRemoved: 1, DevicesRemoved: 2)));
            Assert.That((int)File.GetUnixFileMode(shell), Is.EqualTo(0x1ED), "4755 became 0755");
            Assert.That((int)File.GetUnixFileMode(group), Is.EqualTo(0x1ED), "2755 became 0755");
            Assert.That((int)File.GetUnixFileMode(nested), Is.EqualTo(0x1ED), "6755 in a subfolder became 0755");
            Assert.That((int)File.GetUnixFileMode(plain), Is.EqualTo(0x1A4));
            Assert.That(GetCapability(capable), Is.EqualTo(-1), "no security.capability left");
            Assert.That(Path.Exists(Path.Combine(volume, "disk")) || Path.Exists(Path.Combine(volume, "a", "mem")), Is.False, "device nodes removed");
            Assert.That((int)File.GetUnixFileMode(outside), Is.EqualTo(0x9ED), "a link is not followed out of the volume");
            Assert.That(new FileInfo(Path.Combine(volume, "link")).LinkTarget, Is.EqualTo(outside), "the link itself stays");
        });
    }

    [Test]
    public void Seal_NothingToClear_NothingCountedAndAMissingFolderIsNoError()
    {
        var volume = Directory.CreateDirectory(Path.Combine(_root, "volume")).FullName;
        MakeFile(Path.Combine(volume, "data.bin"), 0x1A4);

        Assert.That(VolumeOutputSeal.Seal(volume, CancellationToken.None).Total, Is.Zero);
        Assert.That(VolumeOutputSeal.Seal(Path.Combine(_root, "missing"), CancellationToken.None).Total, Is.Zero);
    }

    private static string MakeFile(string path, int mode)
    {
        File.WriteAllText(path, "#!/bin/sh\n");
        File.SetUnixFileMode(path, (UnixFileMode)mode);
        return path;
    }

    private static void Run(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments))!;
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, $"{program} {string.Join(' ', arguments)}");
    }

    /// <summary><c>setcap cap_net_bind_service+ep</c>: a VFS_CAP_REVISION_2 blob with the effective flag.</summary>
    private static int SetCapability(string path)
    {
        byte[] blob = [0x01, 0x00, 0x00, 0x02, 0x00, 0x04, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        return SetXattr(path, "security.capability", blob, blob.Length, 0);
    }

    private static int GetCapability(string path) => (int)GetXattr(path, "security.capability", null, 0);

    [LibraryImport("libc", EntryPoint = "lsetxattr", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int SetXattr(string path, string name, byte[] value, nint size, int flags);

    [LibraryImport("libc", EntryPoint = "lgetxattr", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial nint GetXattr(string path, string name, byte[]? value, nint size);
}
