using GradientNode.Core.Integrations;
using NUnit.Framework;

namespace GradientNode.Tests.Integrations;

[TestFixture]
[Category("Unit")]
internal sealed class VersionedStoreTests
{
    private string _root = null!;

    [SetUp]
    public void SetUp() => _root = Directory.CreateTempSubdirectory("gn-store-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    [Test]
    public async Task AddFromTarAsync_TwiceThenResolve_NewVersionEachTimeAndLatestByDefault()
    {
        var store = new VersionedStore(Path.Combine(_root, "models"));

        Assert.That(await store.AddFromTarAsync("llama", Tar("sub/w.bin", "v1"), 1 << 20, CancellationToken.None), Is.EqualTo("1"));
        Assert.That(await store.AddFromTarAsync("llama", Tar("sub/w.bin", "v2"), 1 << 20, CancellationToken.None), Is.EqualTo("2"));

        Assert.That(File.ReadAllText(Path.Combine(store.Resolve("llama")!, "sub", "w.bin")), Is.EqualTo("v2"));
        Assert.That(File.ReadAllText(Path.Combine(store.Resolve("llama:1")!, "sub", "w.bin")), Is.EqualTo("v1"));
        Assert.That(store.Resolve("llama:9"), Is.Null);
        Assert.That(store.List().Single(), Has.Property(nameof(StoreEntry.Latest)).EqualTo("2").And.Property(nameof(StoreEntry.Files)).EqualTo(2));
    }

    [Test]
    public async Task AddFromTarAsync_RootLeftReadableByEveryone_MadeOwnerOnly()
    {
        var root = Path.Combine(_root, "models");
        Directory.CreateDirectory(root, (UnixFileMode)0b111_101_101);
        var store = new VersionedStore(root);

        await store.AddFromTarAsync("llama", Tar("w.bin", "v1"), 1 << 20, CancellationToken.None);

        Assert.That(File.GetUnixFileMode(root), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
    }

    [Test]
    public async Task AddFromTarAsync_Committed_RaisesAddedWithTheNameOnlyThen()
    {
        var store = new VersionedStore(Path.Combine(_root, "models"));
        var added = new List<string>();
        store.Added += added.Add;

        await store.AddFromTarAsync("llama", Tar("w.bin", "v1"), 1 << 20, CancellationToken.None);
        Assert.ThrowsAsync<UploadRejectedException>(() => store.AddFromTarAsync("llama", Tar("w.bin", new string('x', 4096)), 1024, CancellationToken.None));

        Assert.That(added, Is.EqualTo(new[] { "llama" }), "once for the committed version, not for the refused upload");
    }

    [Test]
    public void Remove_ExistingEntry_GoneFromList()
    {
        var store = new VersionedStore(_root);
        Directory.CreateDirectory(store.PathOf("code", "abc"));

        Assert.That(store.Remove("code"), Is.True);
        Assert.That(store.List(), Is.Empty);
        Assert.That(store.Remove("code"), Is.False);
    }

    [TestCase("a/b")]
    [TestCase("..")]
    [TestCase(".hidden")]
    [TestCase("")]
    public void CheckName_NotOneSafeSegment_Problem(string name)
    {
        Assert.That(VersionedStore.CheckName(name), Is.Not.Null);
    }

    [Test]
    public void Versions_PartialFolder_NotListed()
    {
        var store = new VersionedStore(_root);
        Directory.CreateDirectory(store.PathOf("m", "1"));
        Directory.CreateDirectory(Path.Combine(_root, "m", VersionedStore.TempPrefix + "x"));

        Assert.That(store.Get("m")!.Versions, Is.EqualTo(new[] { "1" }));
    }

    private static MemoryStream Tar(string name, string content)
    {
        var stream = new MemoryStream();
        using (var writer = new System.Formats.Tar.TarWriter(stream, System.Formats.Tar.TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, name) { DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)) });
        }

        stream.Position = 0;
        return stream;
    }
}
