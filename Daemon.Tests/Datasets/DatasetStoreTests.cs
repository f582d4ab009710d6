using GradientNode.Core.Datasets;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace GradientNode.Tests.Datasets;

[TestFixture]
[Category("Unit")]
internal sealed partial class DatasetStoreTests
{
    private string _root = null!;
    private FakeTimeProvider _time = null!;
    private DatasetStore _store = null!;

    [SetUp]
    public void SetUp()
    {
        _root = Path.Combine(Directory.CreateTempSubdirectory("gn-datasets-").FullName, "datasets");
        _time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        _store = new DatasetStore(_root, _time);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(Path.GetDirectoryName(_root)!, recursive: true);

    [Test]
    public async Task Resolve_NameVersionTagAndLatest_EachNamesItsVersion()
    {
        _store.Create("images", "photos");
        var first = await CommitAsync("images", ("a.txt", "one"));
        _time.Advance(TimeSpan.FromSeconds(1));
        var second = await CommitAsync("images", ("a.txt", "two"));
        _store.Tag("images", first.Version, "golden");

        Assert.Multiple(() =>
        {
            Assert.That(_store.Resolve("images").Version, Is.EqualTo(second.Version));
            Assert.That(_store.Resolve("images:latest").Version, Is.EqualTo(second.Version));
            Assert.That(_store.Resolve($"images:{first.Version}").Version, Is.EqualTo(first.Version));
            Assert.That(_store.Resolve("images:golden").Version, Is.EqualTo(first.Version));
            Assert.That(first.Id, Does.Match("^images:[a-z][a-z0-9]{6}$"));
            Assert.That(_store.Versions("images").Select(v => v.Tags), Is.EqualTo(new[] { new[] { "latest" }, new[] { "golden" } }));
            Assert.That(File.ReadAllText(Path.Combine(_store.ContentPathOf("images", first.Version), "a.txt")), Is.EqualTo("one"));
        });
    }

    [Test]
    public void Resolve_DatasetWithNoVersion_SaysHowToUploadOne()
    {
        _store.Create("fresh", null);
        Assert.That(() => _store.Resolve("fresh"), Throws.TypeOf<DatasetException>()
            .With.Message.EndsWith("(upload one: gradient-node datasets upload fresh DIR)")
            .And.Property("Error").EqualTo(DatasetError.NotFound));
    }

    [Test]
    public async Task Resolve_UnknownTagOrNoVersionOrNoDataset_NotFoundNamingTheReference()
    {
        _store.Create("empty", null);
        Assert.That(() => _store.Resolve("empty"), Throws.TypeOf<DatasetException>().With.Message.EqualTo("dataset 'empty' has no committed version yet (upload one: gradient-node datasets upload empty DIR)"));
        Assert.That(() => _store.Resolve("empty:abc1234"), Throws.TypeOf<DatasetException>().With.Message.EqualTo("dataset 'empty' has no version or tag 'abc1234': it has no committed version yet (upload one: gradient-node datasets upload empty DIR)"), "a version asked for is named, also when none is left");
        await CommitAsync("empty", ("f", "x"));
        Assert.That(() => _store.Resolve("empty:nosuch"), Throws.TypeOf<DatasetException>().With.Message.EqualTo("dataset 'empty' has no version or tag 'nosuch'; list its versions and tags: gradient-node datasets versions empty").And.Property("Error").EqualTo(DatasetError.NotFound));
        Assert.That(() => _store.Resolve("ghost"), Throws.TypeOf<DatasetException>().With.Message.StartsWith("no dataset 'ghost'"));
        Assert.That(() => _store.Resolve("9bad"), Throws.TypeOf<DatasetException>().With.Property("Error").EqualTo(DatasetError.Invalid));
    }

    [Test]
    public void Resolve_NoDatasetOfThatNameButOneTypoAway_NamesTheCloseOne()
    {
        _store.Create("rawdata", null);
        _store.Create("labels", null);

        Assert.Multiple(() =>
        {
            Assert.That(() => _store.Resolve("rawdta"), Throws.TypeOf<DatasetException>()
                .With.Message.EqualTo("no dataset 'rawdta'; did you mean 'rawdata'? (or create it: gradient-node datasets create rawdta)")
                .And.Property("Error").EqualTo(DatasetError.NotFound));
            Assert.That(() => _store.Versions("lables"), Throws.TypeOf<DatasetException>().With.Message.Contains("did you mean 'labels'?"), "every read by name");
            Assert.That(() => _store.Resolve("zebra"), Throws.TypeOf<DatasetException>()
                .With.Message.EqualTo("no dataset 'zebra' (create it: gradient-node datasets create zebra)"), "no close name: no hint");
            Assert.That(_store.List().Select(d => d.Name), Is.EqualTo(new[] { "labels", "rawdata" }), "List reads the same names");
        });
    }

    [Test]
    public void Create_BadNameOrTwice_InvalidThenConflict()
    {
        Assert.That(() => _store.Create("../etc", null), Throws.TypeOf<DatasetException>().With.Property("Error").EqualTo(DatasetError.Invalid));
        _store.Create("ok", null);
        Assert.That(() => _store.Create("ok", null), Throws.TypeOf<DatasetException>().With.Property("Error").EqualTo(DatasetError.Conflict));
        Assert.That(File.GetUnixFileMode(_root), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
    }

    [Test]
    public async Task CommitAsync_IdenticalFileInTwoVersions_OneSharedObjectAndFilesReadOnly()
    {
        _store.Create("d", null);
        var first = await CommitAsync("d", ("big.bin", "same content"), ("only1.txt", "a"));
        var second = await CommitAsync("d", ("big.bin", "same content"), ("only2.txt", "b"));

        var objects = Directory.GetFiles(Path.Combine(_root, ".objects"), "*", SearchOption.AllDirectories);
        Assert.That(objects, Has.Length.EqualTo(3));
        var shared = Path.Combine(_store.ContentPathOf("d", second.Version), "big.bin");
        Assert.That(File.GetUnixFileMode(shared), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead));
        Assert.That(_store.ManifestOf(first).Entries.Single(e => e.Path == "big.bin").Sha256, Is.EqualTo(_store.ManifestOf(second).Entries.Single(e => e.Path == "big.bin").Sha256));
        Assert.That(second.Files, Is.EqualTo(2));
        Assert.That(second.Bytes, Is.EqualTo("same content".Length + 1));
    }

    [Test]
    public async Task CommitAsync_SameWriteTwice_OneVersion()
    {
        _store.Create("d", null);
        var write = _store.BeginWrite("d", "msg");
        await File.WriteAllTextAsync(Path.Combine(write.ContentPath, "f"), "x");

        var once = await _store.CommitAsync(write, CancellationToken.None);
        var twice = await _store.CommitAsync(write, CancellationToken.None);

        Assert.That(twice, Is.SameAs(once));
        Assert.That(_store.Versions("d"), Has.Count.EqualTo(1));
        Assert.That(once.Message, Is.EqualTo("msg"));
    }

    [Test]
    public async Task CommitAsync_RequestedIdAlreadyCommitted_ReturnsItAndDropsTheWrite()
    {
        _store.Create("d", null);
        var first = _store.BeginWrite("d", null);
        await File.WriteAllTextAsync(Path.Combine(first.ContentPath, "f"), "x");
        var committed = await _store.CommitAsync(first, CancellationToken.None, "abcdefg", "key1");
        var again = _store.BeginWrite("d", null);
        await File.WriteAllTextAsync(Path.Combine(again.ContentPath, "f"), "y");

        var result = await _store.CommitAsync(again, CancellationToken.None, "abcdefg", "key1");

        Assert.That(result.Id, Is.EqualTo("d:abcdefg"));
        Assert.That(result.Source, Is.EqualTo("key1"));
        Assert.That(_store.Versions("d").Single().Id, Is.EqualTo(committed.Id));
        Assert.That(Directory.Exists(Path.GetDirectoryName(again.ContentPath)), Is.False);
    }

    [Test]
    public async Task Abort_OpenWrite_NothingCommittedAndCommitRefused()
    {
        _store.Create("d", null);
        var write = _store.BeginWrite("d", null);
        await File.WriteAllTextAsync(Path.Combine(write.ContentPath, "f"), "x");

        _store.Abort(write);

        Assert.That(_store.Versions("d"), Is.Empty);
        Assert.That(Directory.Exists(Path.GetDirectoryName(write.ContentPath)), Is.False);
        Assert.That(() => _store.CommitAsync(write, CancellationToken.None), Throws.TypeOf<DatasetException>().With.Message.Contains("nothing was committed"));
    }

    [Test]
    public async Task CleanStaging_WriteLeftByACrashedDaemon_NeverListedAndRemovedUnlessMounted()
    {
        _store.Create("d", null);
        var crashed = _store.BeginWrite("d", null);
        var running = _store.BeginWrite("d", null);
        await File.WriteAllTextAsync(Path.Combine(crashed.ContentPath, "half"), "x");
        var restarted = new DatasetStore(_root, _time);

        var removed = restarted.CleanStaging(folder => folder == Path.GetDirectoryName(running.ContentPath));

        Assert.That(removed, Is.EqualTo(1));
        Assert.That(restarted.Versions("d"), Is.Empty);
        Assert.That(Directory.Exists(Path.GetDirectoryName(crashed.ContentPath)), Is.False);
        Assert.That(restarted.FindWrite(running.Id)?.ContentPath, Is.EqualTo(running.ContentPath));
        Assert.That(_store.CleanStaging(_ => false), Is.Zero, "a write this store opened stays until committed or aborted");
    }

    [Test]
    public async Task CommitAsync_LinkAndFifoInTheOutput_LeftOutNeverFollowed()
    {
        _store.Create("d", null);
        var write = _store.BeginWrite("d", null);
        await File.WriteAllTextAsync(Path.Combine(write.ContentPath, "real.txt"), "x");
        File.CreateSymbolicLink(Path.Combine(write.ContentPath, "passwd"), "/etc/passwd");
        Directory.CreateDirectory(Path.Combine(write.ContentPath, "sub", "empty"));

        var version = await _store.CommitAsync(write, CancellationToken.None);

        var content = _store.ContentPathOf("d", version.Version);
        Assert.That(_store.ManifestOf(version).Entries.Select(e => e.Path), Is.EqualTo(new[] { "real.txt" }));
        Assert.That(File.Exists(Path.Combine(content, "passwd")) || Directory.Exists(Path.Combine(content, "passwd")), Is.False);
        Assert.That(Directory.Exists(Path.Combine(content, "sub", "empty")), Is.True);
    }

    [Test]
    public async Task CommitAsync_SocketInTheOutput_LeftOutLikeAFifo()
    {
        _store.Create("d", null);
        var write = _store.BeginWrite("d", null);
        await File.WriteAllTextAsync(Path.Combine(write.ContentPath, "real.txt"), "x");
        using (var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified))
        {
            socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(Path.Combine(write.ContentPath, "job.sock")));
        }

        var version = await _store.CommitAsync(write, CancellationToken.None);

        Assert.That(_store.ManifestOf(version).Entries.Select(e => e.Path), Is.EqualTo(new[] { "real.txt" }));
        Assert.That(File.Exists(Path.Combine(_store.ContentPathOf("d", version.Version), "job.sock")), Is.False);
    }

    [Test]
    public async Task Tag_LatestOrVersionIdOrBadName_RefusedAndMovingATagRepoints()
    {
        _store.Create("d", null);
        var one = await CommitAsync("d", ("f", "1"));
        var two = await CommitAsync("d", ("f", "2"));

        Assert.That(() => _store.Tag("d", one.Version, "latest"), Throws.TypeOf<DatasetException>().With.Message.Contains("always points at the newest"));
        Assert.That(() => _store.Tag("d", one.Version, two.Version), Throws.TypeOf<DatasetException>().With.Message.Contains("is a version id"));
        Assert.That(() => _store.Tag("d", one.Version, "a/b"), Throws.TypeOf<DatasetException>().With.Property("Error").EqualTo(DatasetError.Invalid));
        _store.Tag("d", one.Version, "prod");
        _store.Tag("d", two.Version, "prod");
        Assert.That(_store.Resolve("d:prod").Version, Is.EqualTo(two.Version));
    }

    [Test]
    public async Task Remove_WholeDatasetWithAnOpenWrite_RefusedInUseNamingTheWriteAndTheWriteStillCommits()
    {
        // Before: removed; the running job's write then failed to commit at its end ("no dataset 'out'").
        _store.Create("out", null);
        var write = _store.BeginWrite("out", "train run 3, job job-1");
        await File.WriteAllTextAsync(Path.Combine(write.ContentPath, "f"), "x");

        Assert.That(
            () => _store.Remove("out", null),
            Throws.TypeOf<DatasetException>().With.Property(nameof(DatasetException.Error)).EqualTo(DatasetError.InUse)
                .And.Message.EqualTo("dataset 'out' has a new version being written (train run 3, job job-1); wait for it to end or stop it, nothing was removed"));
        var version = await _store.CommitAsync(write, CancellationToken.None);
        _store.Remove("out", null);

        Assert.That(version.Dataset, Is.EqualTo("out"));
        Assert.That(_store.List(), Is.Empty, "once the write ended the dataset can go");
    }

    [Test]
    public async Task Remove_TaggedVersion_GoneWithItsTagAndItsUnsharedObjects()
    {
        _store.Create("d", null);
        var old = await CommitAsync("d", ("f", "old"), ("shared", "s"));
        _time.Advance(TimeSpan.FromSeconds(1));
        await CommitAsync("d", ("f", "new"), ("shared", "s"));
        _store.Tag("d", old.Version, "v1");

        Assert.That(() => _store.Remove("d", "v1"), Throws.TypeOf<DatasetException>().With.Message.Contains("is a tag"));
        _store.Remove("d", old.Version);

        Assert.That(_store.Versions("d"), Has.Count.EqualTo(1));
        Assert.That(() => _store.Resolve("d:v1"), Throws.TypeOf<DatasetException>());
        Assert.That(Directory.GetFiles(Path.Combine(_root, ".objects"), "*", SearchOption.AllDirectories), Has.Length.EqualTo(2));
        _store.Remove("d", null);
        Assert.That(_store.List(), Is.Empty);
        Assert.That(Directory.GetFiles(Path.Combine(_root, ".objects"), "*", SearchOption.AllDirectories), Is.Empty);
    }

    [Test]
    public async Task Versions_FolderWithoutManifest_NotAVersion()
    {
        _store.Create("d", null);
        await CommitAsync("d", ("f", "x"));
        Directory.CreateDirectory(Path.Combine(_root, "d", "versions", "zzzzzzz", "content"));

        Assert.That(_store.Versions("d"), Has.Count.EqualTo(1));
        Assert.That(() => _store.Resolve("d:zzzzzzz"), Throws.TypeOf<DatasetException>());
    }

    private async Task<DatasetVersion> CommitAsync(string name, params (string Path, string Text)[] files)
    {
        var write = _store.BeginWrite(name, null);
        foreach (var (path, text) in files)
        {
            await File.WriteAllTextAsync(Path.Combine(write.ContentPath, path), text);
        }

        return await _store.CommitAsync(write, CancellationToken.None);
    }
}
