using GradientNode.Core.Datasets;
using NUnit.Framework;

namespace GradientNode.Tests.Datasets;

/// <summary>
/// The root daemon keeps each file's name and hash in memory while it seals a version (500,000 empty files a workflow job
/// wrote took it from 136 MB to 926 MB, found by the twelfth adversary review), so the walk stops past a number of entries
/// (<see cref="DatasetContent.DefaultMaxEntries"/>), before any file is hashed.
/// </summary>
internal sealed partial class DatasetStoreTests
{
    [Test]
    public async Task CommitAsync_OutputWithMoreEntriesThanTheLimit_RefusedNamingTheFolderAndTheLimitNothingCommitted()
    {
        var store = new DatasetStore(_root, _time) { MaxEntries = 10 };
        store.Create("many", null);
        var fits = store.BeginWrite("many", null);
        Directory.CreateDirectory(Path.Combine(fits.ContentPath, "d"));
        for (var i = 0; i < 9; i++)
        {
            File.Create(Path.Combine(fits.ContentPath, "d", $"f{i}")).Dispose();
        }

        var committed = await store.CommitAsync(fits, CancellationToken.None);

        var over = store.BeginWrite("many", null);
        Directory.CreateDirectory(Path.Combine(over.ContentPath, "d"));
        for (var i = 0; i < 9; i++)
        {
            File.Create(Path.Combine(over.ContentPath, "d", $"f{i}")).Dispose();
        }

        File.CreateSymbolicLink(Path.Combine(over.ContentPath, "d", "link"), "/etc/passwd"); // left out, but counted

        Assert.That(store.ManifestOf(committed).Entries, Has.Count.EqualTo(9), "ten entries (a folder and nine files) fit");
        Assert.That(
            () => store.CommitAsync(over, CancellationToken.None),
            Throws.TypeOf<DatasetException>().With.Property("Error").EqualTo(DatasetError.Invalid)
                .And.Message.StartsWith("folder 'd' takes the output past 10 files and folders (links and fifos counted), more than a dataset version may hold")
                .And.Message.EndsWith("nothing was committed"));
        Assert.That(store.Versions("many").Select(v => v.Version), Is.EqualTo(new[] { committed.Version }));
    }
}
