using System.Runtime.InteropServices;
using GradientNode.Core.Common;
using NUnit.Framework;

namespace GradientNode.Tests.Datasets;

/// <summary>Files and folders entering the store become the store's: root's, with no extended attribute a job set.</summary>
internal sealed partial class DatasetStoreTests
{
    [Test]
    public async Task CommitAsync_FilesAJobLeftWithItsOwnerAndExtendedAttributes_TheStoresOwnWithNoneLeft()
    {
        if (Environment.UserName != "root")
        {
            Assert.Ignore("needs root: files of another owner, a security.capability attribute and lchown to root");
        }

        // Before: the committed files kept the job's uid (1000) and its user.* and security.capability attributes.
        _store.Create("owned", null);
        var write = _store.BeginWrite("owned", null);
        var folder = Directory.CreateDirectory(Path.Combine(write.ContentPath, "sub")).FullName;
        var file = Path.Combine(folder, "tool");
        await File.WriteAllTextAsync(file, "#!/bin/sh\n");
        var plain = Path.Combine(write.ContentPath, "a.txt");
        await File.WriteAllTextAsync(plain, "one");
        byte[] capability = [0x01, 0x00, 0x00, 0x02, 0x00, 0x04, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        Assert.Multiple(() =>
        {
            Assert.That(SetXattr(file, "security.capability", capability, capability.Length, 0), Is.Zero, "setcap");
            Assert.That(SetXattr(file, "user.origin", "job"u8.ToArray(), 3, 0), Is.Zero);
            Assert.That(SetXattr(plain, "user.origin", "job"u8.ToArray(), 3, 0), Is.Zero);
            Assert.That(LChown(file, 1000, 1000) | LChown(plain, 1000, 1000) | LChown(folder, 1000, 1000), Is.Zero);
        });

        var version = await _store.CommitAsync(write, CancellationToken.None);

        var content = _store.ContentPathOf("owned", version.Version);
        foreach (var path in new[] { Path.Combine(content, "sub", "tool"), Path.Combine(content, "a.txt"), Path.Combine(content, "sub") })
        {
            Assert.That(FileStatus.TryOf(path, followLinks: false, out var status));
            Assert.Multiple(() =>
            {
                Assert.That((status.Uid, status.Gid), Is.EqualTo((0u, 0u)), path);
                Assert.That((long)ListXattr(path, null, 0), Is.Zero, $"{path}: no extended attribute left");
            });
        }

        Assert.That((int)File.GetUnixFileMode(Path.Combine(content, "sub", "tool")), Is.EqualTo(0x124), "0444 still");
    }

    [LibraryImport("libc", EntryPoint = "lsetxattr", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int SetXattr(string path, string name, byte[] value, nint size, int flags);

    [LibraryImport("libc", EntryPoint = "llistxattr", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial nint ListXattr(string path, byte[]? list, nint size);

    [LibraryImport("libc", EntryPoint = "lchown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int LChown(string path, uint owner, uint group);
}
