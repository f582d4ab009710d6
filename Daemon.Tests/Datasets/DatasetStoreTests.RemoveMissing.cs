using GradientNode.Core.Datasets;
using NUnit.Framework;

namespace GradientNode.Tests.Datasets;

internal sealed partial class DatasetStoreTests
{
    [Test]
    public void Remove_DatasetThatDoesNotExist_NamesThoseThereAreNotHowToCreateIt()
    {
        // Before: "no dataset 'nosuch' (create it: gradient-node datasets create nosuch)", advice for rm to create it.
        Assert.That(() => _store.Remove("zebra", null), Throws.TypeOf<DatasetException>()
            .With.Message.EqualTo("no dataset 'zebra' (there are none on this node); nothing was removed"));
        _store.Create("rawdata", null);
        _store.Create("model", null);

        Assert.Multiple(() =>
        {
            Assert.That(() => _store.Remove("zebra", null), Throws.TypeOf<DatasetException>()
                .With.Message.EqualTo("no dataset 'zebra' (there are: model, rawdata; gradient-node datasets ls); nothing was removed")
                .And.Property("Error").EqualTo(DatasetError.NotFound));
            Assert.That(() => _store.Remove("rawdta", "abc1234"), Throws.TypeOf<DatasetException>()
                .With.Message.EqualTo("no dataset 'rawdta' (did you mean 'rawdata'?); nothing was removed"));
        });
    }
}
