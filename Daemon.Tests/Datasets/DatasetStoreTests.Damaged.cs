using GradientNode.Core.Datasets;
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
}
