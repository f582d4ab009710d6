using GradientNode.Core.Datasets;
using NUnit.Framework;

namespace GradientNode.Tests.Datasets;

/// <summary>A reference whose letters are a stored name's, tag's or version's in another case: "did you mean" the stored one.</summary>
internal sealed partial class DatasetStoreTests
{
    [Test]
    public async Task Resolve_TagOrVersionInAnotherCase_DidYouMeanTheStoredOne()
    {
        _store.Create("MyData", null);
        var version = await CommitAsync("MyData", ("a.txt", "one"));
        _store.Tag("MyData", version.Version, "golden");

        Assert.Multiple(() =>
        {
            Assert.That(() => _store.Resolve("MyData:Latest"), Throws.TypeOf<DatasetException>()
                .With.Message.EqualTo("dataset 'MyData' has no version or tag 'Latest'; did you mean 'latest'?; list its versions and tags: gradient-node datasets versions MyData"));
            Assert.That(() => _store.Resolve("MyData:GOLDEN"), Throws.TypeOf<DatasetException>().With.Message.Contains("did you mean 'golden'?"));
            Assert.That(() => _store.Resolve($"MyData:{version.Version.ToUpperInvariant()}"), Throws.TypeOf<DatasetException>().With.Message.Contains($"did you mean '{version.Version}'?"));
            Assert.That(() => _store.Resolve("mydata:latest"), Throws.TypeOf<DatasetException>().With.Message.StartsWith("no dataset 'mydata'; did you mean 'MyData'?"), "the name too");
        });
    }
}
