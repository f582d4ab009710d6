using System.Formats.Tar;
using System.Text;
using GradientNode.Core.Integrations;
using NUnit.Framework;

namespace GradientNode.Tests.Integrations;

[TestFixture]
[Category("Unit")]
internal sealed class TarExtractorTests
{
    private string _root = null!;

    [SetUp]
    public void SetUp() => _root = Directory.CreateTempSubdirectory("gn-tar-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    [Test]
    public async Task ExtractAsync_FilesAndFolders_UnpackedWithFixedModes()
    {
        using var tar = Tar(
            new PaxTarEntry(TarEntryType.Directory, "sub/") { Mode = (UnixFileMode)0b111_111_111 },
            File("sub/w.bin", "weights", mode: (UnixFileMode)0b110_111_111 | UnixFileMode.SetUser),
            File("./top.txt", "top"));

        var (bytes, files) = await TarExtractor.ExtractAsync(tar, _root, 1 << 20, CancellationToken.None);

        Assert.That((bytes, files), Is.EqualTo((10L, 2L)));
        Assert.That(await System.IO.File.ReadAllTextAsync(Path.Combine(_root, "sub", "w.bin")), Is.EqualTo("weights"));
        Assert.That(await System.IO.File.ReadAllTextAsync(Path.Combine(_root, "top.txt")), Is.EqualTo("top"));
        Assert.That(System.IO.File.GetUnixFileMode(Path.Combine(_root, "sub", "w.bin")), Is.EqualTo((UnixFileMode)0b110_100_100), "no setuid, no write for others: the archive's modes are ignored");
    }

    [Test]
    public async Task ExtractAsync_FileMostlyZeros_ZerosKeptAsHolesAndTheBytesUnchanged()
    {
        // Before, every zero was written: an upload of a sparse disk image took its whole apparent size on disk.
        var content = new byte[32 << 20];
        content[(16 << 20) + 5] = 42;
        content[^1] = 7;
        using var tar = Tar(new PaxTarEntry(TarEntryType.RegularFile, "disk.img") { DataStream = new MemoryStream(content) }, File("zeros", new string('\0', 100)));

        var (bytes, _) = await TarExtractor.ExtractAsync(tar, _root, 1L << 30, CancellationToken.None);

        var disk = Path.Combine(_root, "disk.img");
        Assert.Multiple(() =>
        {
            Assert.That(bytes, Is.EqualTo((32L << 20) + 100));
            Assert.That(System.IO.File.ReadAllBytes(disk), Is.EqualTo(content));
            Assert.That(System.IO.File.ReadAllBytes(Path.Combine(_root, "zeros")), Is.EqualTo(new byte[100]), "a file of zeros alone: its length, all holes");
            Assert.That(Datasets.DatasetStoreTests.AllocatedBytes(disk), Is.LessThan(1 << 20), "32 MiB apparent, two blocks of data");
        });
    }

    [TestCase(TarEntryType.SymbolicLink, "symbolic link")]
    [TestCase(TarEntryType.HardLink, "hard link")]
    [TestCase(TarEntryType.CharacterDevice, "character device")]
    [TestCase(TarEntryType.BlockDevice, "block device")]
    [TestCase(TarEntryType.Fifo, "fifo")]
    public void ExtractAsync_NotAFileOrFolder_RefusedNamingTheEntry(TarEntryType type, string described)
    {
        var entry = new PaxTarEntry(type, "evil");
        if (type is TarEntryType.SymbolicLink or TarEntryType.HardLink)
        {
            entry.LinkName = "/etc/shadow";
        }

        using var tar = Tar(File("ok.txt", "fine"), entry);

        var ex = Assert.ThrowsAsync<UploadRejectedException>(() => TarExtractor.ExtractAsync(tar, _root, 1 << 20, CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("'evil' is a " + described).And.Contain("only regular files and folders"));
        Assert.That(Directory.EnumerateFileSystemEntries(_root).Select(Path.GetFileName), Is.EqualTo(new[] { "ok.txt" }), "no link, device or fifo was made");
    }

    [TestCase("../escaped.txt")]
    [TestCase("sub/../../escaped.txt")]
    [TestCase("/tmp/escaped.txt")]
    [TestCase("..")]
    public void ExtractAsync_PathEscape_Refused(string name)
    {
        var inner = Path.Combine(_root, "inner");
        Directory.CreateDirectory(inner);
        using var tar = Tar(File(name, "out"));

        var ex = Assert.ThrowsAsync<UploadRejectedException>(() => TarExtractor.ExtractAsync(tar, inner, 1 << 20, CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("not a relative path inside the upload"));
        Assert.That(System.IO.File.Exists(Path.Combine(_root, "escaped.txt")), Is.False);
        Assert.That(System.IO.File.Exists("/tmp/escaped.txt"), Is.False);
    }

    [TestCase(1, 256, "longer than 255 bytes")]
    [TestCase(20, 250, "is too deep")]
    public void ExtractAsync_NameTheFileSystemCannotHold_RefusedAsABadEntryNotAnIoFault(int depth, int length, string expected)
    {
        // Before: PathTooLongException, a 500 and an unhandled-exception stack in the daemon's log per upload.
        using var tar = Tar(File(string.Join('/', Enumerable.Repeat(new string('n', length), depth)), "x"));

        var ex = Assert.ThrowsAsync<UploadRejectedException>(() => TarExtractor.ExtractAsync(tar, _root, 1 << 20, CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain(expected));
        Assert.That(Directory.EnumerateFileSystemEntries(_root), Is.Empty);
    }

    [Test]
    public void ExtractAsync_OverTheCap_RefusedAsTooLargeBeforeWritingTheEntry()
    {
        using var tar = Tar(File("small.bin", new string('a', 100)), File("big.bin", new string('b', 5000)));

        var ex = Assert.ThrowsAsync<UploadRejectedException>(() => TarExtractor.ExtractAsync(tar, _root, 4096, CancellationToken.None));

        Assert.That(ex!.TooLarge, Is.True);
        Assert.That(ex.Message, Does.Contain("limit of 4096 bytes").And.Contain("big.bin"));
        Assert.That(System.IO.File.Exists(Path.Combine(_root, "big.bin")), Is.False);
    }

    [Test]
    public void ExtractAsync_ManyEmptyEntries_CountTowardsTheCap()
    {
        using var tar = Tar([.. Enumerable.Range(0, 20).Select(i => File($"f{i}", string.Empty))]);

        var ex = Assert.ThrowsAsync<UploadRejectedException>(() => TarExtractor.ExtractAsync(tar, _root, 10 * 512, CancellationToken.None));

        Assert.That(ex!.TooLarge, Is.True);
    }

    [Test]
    public void ExtractAsync_NotATar_RefusedClearly()
    {
        using var garbage = new MemoryStream(Encoding.UTF8.GetBytes(new string('x', 2048)));

        var ex = Assert.ThrowsAsync<UploadRejectedException>(() => TarExtractor.ExtractAsync(garbage, _root, 1 << 20, CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("not a valid tar stream"));
    }

    [Test]
    public void AddFromTarAsync_RefusedEntryAfterGoodOnes_NoVersionAndNoPartialFolder()
    {
        var store = new VersionedStore(Path.Combine(_root, "models"));
        using var tar = Tar(File("a.bin", "aaaa"), new PaxTarEntry(TarEntryType.SymbolicLink, "l") { LinkName = "/root" });

        Assert.ThrowsAsync<UploadRejectedException>(() => store.AddFromTarAsync("m", tar, 1 << 20, CancellationToken.None));

        Assert.That(store.Get("m"), Is.Null);
        Assert.That(Directory.EnumerateFileSystemEntries(store.Root, "*", SearchOption.AllDirectories), Is.Empty, "the partial upload is removed");
    }

    [Test]
    public async Task AddFromTarAsync_ClientGoesAwayMidUpload_NoVersionAndNoPartialFolder()
    {
        var store = new VersionedStore(Path.Combine(_root, "models"));
        using var full = Tar(File("a.bin", new string('a', 4096)), File("b.bin", new string('b', 8192)));
        using var cancel = new CancellationTokenSource();
        await using var cut = new CuttingStream(full, cutAt: 6000, cancel);

        Assert.That(
            async () => await store.AddFromTarAsync("m", cut, 1 << 20, cancel.Token),
            Throws.InstanceOf<OperationCanceledException>());

        Assert.That(store.Get("m"), Is.Null);
        Assert.That(Directory.EnumerateFileSystemEntries(store.Root, "*", SearchOption.AllDirectories), Is.Empty);
    }

    private static PaxTarEntry File(string name, string content, UnixFileMode mode = (UnixFileMode)0b110_100_100) =>
        new(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)), Mode = mode };

    private static MemoryStream Tar(params TarEntry[] entries)
    {
        var stream = new MemoryStream();
        using (var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var entry in entries)
            {
                writer.WriteEntry(entry);
            }
        }

        stream.Position = 0;
        return stream;
    }

    /// <summary>Reads up to <c>cutAt</c> bytes, then cancels the token (what Kestrel does when the client disconnects) and throws.</summary>
    private sealed class CuttingStream(Stream inner, long cutAt, CancellationTokenSource cancel) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_read >= cutAt)
            {
                cancel.Cancel();
                throw new OperationCanceledException(cancel.Token);
            }

            var read = inner.Read(buffer[..(int)Math.Min(buffer.Length, cutAt - _read)]);
            _read += read;
            return read;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
