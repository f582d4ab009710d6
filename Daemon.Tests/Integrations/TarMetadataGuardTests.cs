using System.Formats.Tar;
using System.Text;
using GradientNode.Core.Integrations;
using NUnit.Framework;

namespace GradientNode.Tests.Integrations;

/// <summary>The guard in front of <c>TarReader</c>, exercised through <see cref="TarExtractor"/> as uploads reach it.</summary>
[TestFixture]
[Category("Unit")]
[NonParallelizable] // measures the process's allocations
internal sealed class TarMetadataGuardTests
{
    private string _root = null!;

    [SetUp]
    public void SetUp() => _root = Directory.CreateTempSubdirectory("gn-targuard-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    [TestCase('L')]
    [TestCase('K')]
    [TestCase('x')]
    [TestCase('g')]
    public void ExtractAsync_MetadataEntryDeclaringAGibibyte_RefusedNamingTheLimitBeforeReadingOrAllocatingIt(char type)
    {
        // Before the guard, TarReader allocated the declared 1 GiB at once, read it all and held it as strings several
        // times over: one 900 MB pax record took the root daemon to 2.7 GB, a 1.9 GB long name ended in OutOfMemory.
        using var body = new CountingStream([.. Header("././@LongLink", type, 1L << 30), .. new byte[4 << 20]]);
        var before = GC.GetTotalAllocatedBytes(precise: true);

        var ex = Assert.ThrowsAsync<UploadRejectedException>(() => TarExtractor.ExtractAsync(body, _root, 1L << 40, CancellationToken.None));

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.That(ex!.Message, Does.Contain($"a '{type}' metadata entry declares 1073741824 bytes, over the node's limit of 1048576 bytes"));
        Assert.That(ex.TooLarge, Is.False, "a bad entry (400), not an upload over the size cap");
        Assert.That(body.BytesRead, Is.LessThanOrEqualTo(64 * 1024), "the declared content is never read");
        Assert.That(allocated, Is.LessThan(256L << 20), "nothing near the declared size is allocated");
        Assert.That(Directory.EnumerateFileSystemEntries(_root), Is.Empty);
    }

    [Test]
    public void ExtractAsync_MetadataSizeNotOctal_Refused()
    {
        var header = Header("././@LongLink", 'L', 0);
        header[124] = 0x80; // base-256: never written for a name, so never followed
        header[135] = 1;
        using var body = new CountingStream([.. Checksummed(header), .. new byte[1024]]);

        var ex = Assert.ThrowsAsync<UploadRejectedException>(() => TarExtractor.ExtractAsync(body, _root, 1L << 40, CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("a 'L' metadata entry declares a size that is not octal"));
    }

    [Test]
    public async Task ExtractAsync_RealLongNamesAndPaxRecords_ExtractedAsBefore()
    {
        var longPath = string.Join('/', Enumerable.Range(0, 6).Select(i => $"folder-{i}-{new string('d', 40)}")) + "/weights.bin";
        var content = new byte[70_000];
        Random.Shared.NextBytes(content);
        var stream = new MemoryStream();
        using (var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
        {
            var comment = new Dictionary<string, string> { ["comment"] = new('c', 200_000) };
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, longPath, comment) { DataStream = new MemoryStream(content) });
            writer.WriteEntry(new GnuTarEntry(TarEntryType.RegularFile, "gnu/" + new string('g', 150)) { DataStream = new MemoryStream("gnu"u8.ToArray()) });
            writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, "short.txt") { DataStream = new MemoryStream("short"u8.ToArray()) });
        }

        stream.Position = 0;

        var (bytes, files) = await TarExtractor.ExtractAsync(stream, _root, 1L << 30, CancellationToken.None);

        Assert.That((bytes, files), Is.EqualTo((70_008L, 3L)));
        Assert.That(await File.ReadAllBytesAsync(Path.Combine(_root, longPath)), Is.EqualTo(content));
        Assert.That(await File.ReadAllTextAsync(Path.Combine(_root, "gnu", new string('g', 150))), Is.EqualTo("gnu"));
        Assert.That(await File.ReadAllTextAsync(Path.Combine(_root, "short.txt")), Is.EqualTo("short"));
    }

    [Test]
    public async Task ExtractAsync_PaxSizeRecordOverridesTheHeaderField_NextEntryStillFound()
    {
        // The header's own size field says 0; the pax record says 5: the reader takes the record, and so must the guard,
        // or it would look for the next header inside the data.
        var pax = Encoding.ASCII.GetBytes("10 size=5\n");
        byte[] body =
        [
            .. Header("PaxHeaders/a", 'x', pax.Length), .. Padded(pax),
            .. Header("a.txt", '0', 0), .. Padded("hello"u8.ToArray()),
            .. Header("b.txt", '0', 3), .. Padded("bye"u8.ToArray()),
            .. new byte[1024],
        ];
        using var stream = new CountingStream(body);

        var (bytes, files) = await TarExtractor.ExtractAsync(stream, _root, 1L << 30, CancellationToken.None);

        Assert.That((bytes, files), Is.EqualTo((8L, 2L)));
        Assert.That(await File.ReadAllTextAsync(Path.Combine(_root, "a.txt")), Is.EqualTo("hello"));
        Assert.That(await File.ReadAllTextAsync(Path.Combine(_root, "b.txt")), Is.EqualTo("bye"));
    }

    /// <summary>A ustar header block with a valid checksum.</summary>
    internal static byte[] Header(string name, char type, long size)
    {
        var header = new byte[512];
        Encoding.ASCII.GetBytes(name).CopyTo(header, 0);
        Encoding.ASCII.GetBytes("0000644\0").CopyTo(header, 100);
        Encoding.ASCII.GetBytes("0000000\0").CopyTo(header, 108);
        Encoding.ASCII.GetBytes("0000000\0").CopyTo(header, 116);
        Encoding.ASCII.GetBytes(Convert.ToString(size, 8).PadLeft(11, '0') + "\0").CopyTo(header, 124);
        Encoding.ASCII.GetBytes("00000000000\0").CopyTo(header, 136);
        header[156] = (byte)type;
        Encoding.ASCII.GetBytes("ustar\0" + "00").CopyTo(header, 257);
        return Checksummed(header);
    }

    private static byte[] Checksummed(byte[] header)
    {
        Array.Fill(header, (byte)' ', 148, 8);
        var sum = header.Sum(b => (int)b);
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(header, 148);
        return header;
    }

    private static byte[] Padded(byte[] data) => [.. data, .. new byte[(512 - (data.Length % 512)) % 512]];

    /// <summary>A forward-only stream (as an HTTP body is) that counts what was read of it.</summary>
    private sealed class CountingStream(byte[] content) : Stream
    {
        private readonly MemoryStream _inner = new(content);

        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = _inner.Read(buffer, offset, count);
            BytesRead += read;
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
