using GradientNode.Core.Datasets;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace GradientNode.Tests.Datasets;

internal sealed partial class DatasetStoreTests
{
    [TestCase("")]
    [TestCase("{\"Name\":\"imag")]
    [TestCase("null")]
    [TestCase("{}")]
    public async Task List_OneDatasetRecordTruncatedOrCorrupt_EveryDatasetListedAndTheDamagedFileKeptAside(string damaged)
    {
        _store.Create("images", "photos");
        _store.Create("labels", "the labels");
        var version = await CommitAsync("images", ("a.txt", "one"));
        var record = Path.Combine(_root, "images", "dataset.json");
        File.WriteAllText(record, damaged);

        var listed = _store.List();

        Assert.Multiple(() =>
        {
            Assert.That(listed.Select(d => d.Name), Is.EqualTo(new[] { "images", "labels" }));
            Assert.That(listed[0].Versions, Is.EqualTo(1));
            Assert.That(_store.Resolve("images").Version, Is.EqualTo(version.Version));
            var kept = Directory.GetFiles(Path.Combine(_root, "images"), "dataset.json.damaged-*");
            Assert.That(kept, Has.Length.EqualTo(1));
            Assert.That(File.ReadAllText(kept[0]), Is.EqualTo(damaged));
        });
    }

    [Test]
    public async Task Tag_TagsFileCorrupt_KeptAsideNotOverwrittenAndTheNewTagSet()
    {
        _store.Create("images", null);
        var version = await CommitAsync("images", ("a.txt", "one"));
        _store.Tag("images", version.Version, "golden");
        var tags = Path.Combine(_root, "images", "tags.json");
        File.WriteAllText(tags, "{\"golden\":\"");

        _store.Tag("images", version.Version, "silver");

        Assert.Multiple(() =>
        {
            Assert.That(_store.Resolve("images:silver").Version, Is.EqualTo(version.Version));
            var kept = Directory.GetFiles(Path.Combine(_root, "images"), "tags.json.damaged-*");
            Assert.That(kept, Has.Length.EqualTo(1));
            Assert.That(File.ReadAllText(kept[0]), Is.EqualTo("{\"golden\":\""));
        });
    }

    [TestCase("")]
    [TestCase("{\"Version\":\"v")]
    [TestCase("[1, 2]")]
    public async Task Versions_OneManifestDamaged_LeftOutAndLoggedOnceWithoutItsContent(string damaged)
    {
        // Before: the version vanished from every listing without a word.
        using var logs = new RecordingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        var store = new DatasetStore(_root, _time, factory.CreateLogger<DatasetStore>());
        store.Create("images", null);
        var first = await CommitAsync("images", ("a.txt", "one"));
        var second = await CommitAsync("images", ("a.txt", "two"));
        var manifest = Path.Combine(_root, "images", "versions", second.Version, "manifest.json");
        File.WriteAllText(manifest, damaged);

        var versions = store.Versions("images");
        store.Versions("images");

        var warnings = logs.Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(versions.Select(v => v.Version), Is.EqualTo(new[] { first.Version }));
            Assert.That(warnings, Has.Count.EqualTo(1), "once per folder");
            Assert.That(warnings.Single(), Does.Contain(manifest).And.Contain("is damaged ("));
            Assert.That(File.ReadAllText(manifest), Is.EqualTo(damaged), "left as it is");
        });
    }
}
