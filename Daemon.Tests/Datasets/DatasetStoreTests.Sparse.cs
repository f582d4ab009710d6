using System.Diagnostics;
using System.Security.Cryptography;
using GradientNode.Core.Datasets;
using NUnit.Framework;

namespace GradientNode.Tests.Datasets;

/// <summary>
/// Sparse files and long commits, on the real file system: a file's holes are hashed as zeros without being read, the
/// hash is the content's (a dense copy shares its object), the store links and never copies (holes stay holes), a file of
/// too many holes is refused, and a commit canceled while it hashes removes its write and touches no earlier version.
/// </summary>
internal sealed partial class DatasetStoreTests
{
    private const long MiB = 1 << 20;

    [Test]
    public async Task CommitAsync_SparseFile_HashIsTheContentsAndTheStoreKeepsItsHoles()
    {
        _store.Create("disk", null);
        var write = _store.BeginWrite("disk", null);
        var sparse = Path.Combine(write.ContentPath, "disk.img");
        WriteSparse(sparse, 256 * MiB, (100 * MiB, "middle"u8.ToArray()), (256 * MiB - 3, "end"u8.ToArray()));
        string expected;
        await using (var stream = File.OpenRead(sparse))
        {
            expected = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream));
        }

        var version = await _store.CommitAsync(write, CancellationToken.None);

        var entry = _store.ManifestOf(version).Entries.Single();
        var stored = Path.Combine(_store.ContentPathOf("disk", version.Version), "disk.img");
        var dense = await CommitDenseCopyAsync(stored);
        Assert.Multiple(() =>
        {
            Assert.That(entry.Sha256, Is.EqualTo(expected), "the SHA-256 of the whole content, holes read as zeros");
            Assert.That(entry.Size, Is.EqualTo(256 * MiB));
            Assert.That(AllocatedBytes(stored), Is.LessThan(MiB), "the committed file keeps its holes");
            Assert.That(AllocatedBytes(Path.Combine(_root, ".objects", expected[..2], expected)), Is.LessThan(MiB), "so does its object");
            Assert.That(_store.ManifestOf(dense).Entries.Single().Sha256, Is.EqualTo(expected), "a dense copy of the same bytes has the same hash");
        });
    }

    [Test]
    public async Task CommitAsync_FileOfHolesPastTheLimit_RefusedNamingItAndNothingCommitted()
    {
        var store = new DatasetStore(_root, _time) { MaxHoleBytes = 4 * MiB };
        store.Create("disk", null);
        var write = store.BeginWrite("disk", null);
        Directory.CreateDirectory(Path.Combine(write.ContentPath, "vm"));
        File.WriteAllText(Path.Combine(write.ContentPath, "a.txt"), "a");
        WriteSparse(Path.Combine(write.ContentPath, "vm", "huge.img"), 64L << 30, (MiB, "x"u8.ToArray()));

        Assert.That(
            () => store.CommitAsync(write, CancellationToken.None),
            Throws.TypeOf<DatasetException>().With.Property("Error").EqualTo(DatasetError.Invalid)
                .And.Message.StartsWith("'vm/huge.img' is a sparse file of 64 GiB whose holes (unwritten ranges) add up to more than the 4194304 bytes a file of a dataset version may have")
                .And.Message.EndsWith("nothing was committed"));
        Assert.That(store.Versions("disk"), Is.Empty);
    }

    [Test]
    public void CommitAsync_FilesEachUnderTheHoleLimitButTogetherOverIt_RefusedNamingTheFileThatCrossesItAndNothingCommitted()
    {
        // Before, the limit was per file: 10,000 files of `truncate -s 1T` each passed it and took months of the daemon's CPU.
        var store = new DatasetStore(_root, _time) { MaxHoleBytes = 4 * MiB };
        store.Create("disk", null);
        var write = store.BeginWrite("disk", null);
        WriteSparse(Path.Combine(write.ContentPath, "a.img"), 3 * MiB + 1, (3 * MiB, "a"u8.ToArray()));
        WriteSparse(Path.Combine(write.ContentPath, "b.img"), 3 * MiB + 1, (3 * MiB, "b"u8.ToArray()));

        Assert.That(
            () => store.CommitAsync(write, CancellationToken.None),
            Throws.TypeOf<DatasetException>().With.Property("Error").EqualTo(DatasetError.Invalid)
                .And.Message.StartsWith("'b.img' brings the holes (unwritten ranges) of the version's sparse files together to more than the 4194304 bytes one dataset version may have")
                .And.Message.EndsWith("nothing was committed"));
        Assert.That(store.Versions("disk"), Is.Empty);
    }

    [Test]
    public async Task CommitAsync_CanceledWhileHashing_WriteRemovedAndTheEarlierVersionUntouched()
    {
        var store = new DatasetStore(_root, TimeProvider.System); // progress is reported on the real monotonic clock
        store.Create("disk", null);
        var first = await CommitWithAsync(store, "disk", ("a.txt", "one"));
        var write = store.BeginWrite("disk", null);
        WriteSparse(Path.Combine(write.ContentPath, "big.img"), 512L << 30, (MiB, "x"u8.ToArray())); // minutes of hashing
        using var cancel = new CancellationTokenSource();
        var heard = new List<DatasetCommitProgress>();

        var commit = store.CommitAsync(write, cancel.Token, progress: p =>
        {
            lock (heard)
            {
                heard.Add(p);
                if (p.Done > 0)
                {
                    cancel.Cancel(); // a second into the hashing
                }
            }
        });

        Assert.That(async () => await commit.WaitAsync(TimeSpan.FromMinutes(1)), Throws.InstanceOf<OperationCanceledException>());
        Assert.Multiple(() =>
        {
            Assert.That(heard[0], Is.EqualTo(new DatasetCommitProgress(0, 512L << 30)), "the first report: nothing hashed yet, the total");
            Assert.That(heard[^1].Done, Is.GreaterThan(0).And.LessThan(512L << 30));
            Assert.That(Directory.Exists(Path.Combine(store.StagingDir, write.Id)), Is.False, "the half-made version is removed");
            Assert.That(store.Versions("disk").Select(v => v.Version), Is.EqualTo(new[] { first.Version }));
            Assert.That(File.ReadAllText(Path.Combine(store.ContentPathOf("disk", first.Version), "a.txt")), Is.EqualTo("one"));
        });
    }

    /// <summary>A file of <paramref name="length"/> bytes that holds only <paramref name="data"/> (at their offsets): holes elsewhere.</summary>
    private static void WriteSparse(string path, long length, params (long Offset, byte[] Bytes)[] data)
    {
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        file.SetLength(length);
        foreach (var (offset, bytes) in data)
        {
            file.Position = offset;
            file.Write(bytes);
        }
    }

    private async Task<DatasetVersion> CommitDenseCopyAsync(string source)
    {
        _store.Create("dense", null);
        var write = _store.BeginWrite("dense", null);
        await using (var from = File.OpenRead(source))
        await using (var to = File.Create(Path.Combine(write.ContentPath, "copy.img")))
        {
            var buffer = new byte[MiB];
            int read;
            while ((read = await from.ReadAsync(buffer)) > 0)
            {
                await to.WriteAsync(buffer.AsMemory(0, read)); // every byte written: no holes
            }
        }

        return await _store.CommitAsync(write, CancellationToken.None);
    }

    private static async Task<DatasetVersion> CommitWithAsync(DatasetStore store, string name, params (string Path, string Text)[] files)
    {
        var write = store.BeginWrite(name, null);
        foreach (var (path, text) in files)
        {
            await File.WriteAllTextAsync(Path.Combine(write.ContentPath, path), text);
        }

        return await store.CommitAsync(write, CancellationToken.None);
    }

    /// <summary>The disk space a file takes (<c>du -B1</c>), not its apparent size.</summary>
    internal static long AllocatedBytes(string path)
    {
        using var du = Process.Start(new ProcessStartInfo("du", ["-B1", "--", path]) { RedirectStandardOutput = true })!;
        var output = du.StandardOutput.ReadToEnd();
        du.WaitForExit();
        return long.Parse(output.Split('\t')[0], System.Globalization.CultureInfo.InvariantCulture);
    }
}
