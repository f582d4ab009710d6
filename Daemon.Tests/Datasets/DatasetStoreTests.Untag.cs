using GradientNode.Core.Datasets;
using NUnit.Framework;

namespace GradientNode.Tests.Datasets;

// Removing a tag: before, a tag could only be moved, so a version tagged to keep it from gc stayed until it was removed.
internal sealed partial class DatasetStoreTests
{
    [Test]
    public async Task Untag_TagOfAVersion_TagGoneVersionStaysAndTheOtherTagsToo()
    {
        _store.Create("model", null);
        var first = await CommitAsync("model", ("w", "1"));
        _time.Advance(TimeSpan.FromSeconds(1));
        await CommitAsync("model", ("w", "2"));
        _store.Tag("model", first.Version, "best");
        _store.Tag("model", first.Version, "v1");

        var pointed = _store.Untag("model", "best");

        Assert.Multiple(() =>
        {
            Assert.That(pointed.Id, Is.EqualTo(first.Id));
            Assert.That(() => _store.Resolve("model:best"), Throws.TypeOf<DatasetException>().With.Property(nameof(DatasetException.Error)).EqualTo(DatasetError.NotFound));
            Assert.That(_store.Resolve($"model:{first.Version}").Tags, Is.EqualTo(new[] { "v1" }));
            Assert.That(_store.Resolve("model:v1").Version, Is.EqualTo(first.Version));
        });
    }

    [Test]
    public async Task Untag_UnknownTagLatestOrNoDataset_RefusedNamingWhatThereIs()
    {
        _store.Create("model", null);
        var first = await CommitAsync("model", ("w", "1"));
        _store.Tag("model", first.Version, "best");

        Assert.Multiple(() =>
        {
            Assert.That(() => _store.Untag("model", "bset"), Throws.TypeOf<DatasetException>()
                .With.Property(nameof(DatasetException.Error)).EqualTo(DatasetError.NotFound)
                .And.Message.EqualTo("dataset 'model' has no tag 'bset' (its tags: best)"));
            Assert.That(() => _store.Untag("model", "latest"), Throws.TypeOf<DatasetException>()
                .With.Property(nameof(DatasetException.Error)).EqualTo(DatasetError.Invalid)
                .And.Message.EqualTo("'latest' always points at the newest version and cannot be removed"));
            Assert.That(() => _store.Untag("nosuch", "best"), Throws.TypeOf<DatasetException>()
                .With.Property(nameof(DatasetException.Error)).EqualTo(DatasetError.NotFound));
            Assert.That(_store.Resolve("model:best").Version, Is.EqualTo(first.Version), "nothing changed");
        });
    }
}
