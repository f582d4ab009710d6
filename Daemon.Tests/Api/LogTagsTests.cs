using GradientNode.Core.Engine;
using GradientNode.Daemon.Api;
using NUnit.Framework;

namespace GradientNode.Tests.Api;

[TestFixture]
[Category("Unit")]
internal sealed class LogTagsTests
{
    [Test]
    public void For_OneContainerFollowed_TagsItsLines()
    {
        // Before: untagged, so a rollout's or a crash restart's next container could not be told from the first.
        Assert.That(LogTags.For(follow: true, containers: 1).Of(Container("c1", "gradient-web-0-aaaaaa", 0)), Is.EqualTo("[0] "));
    }

    [Test]
    public void For_OneContainerNotFollowed_NoTags() =>
        Assert.That(LogTags.For(follow: false, containers: 1).Of(Container("c1", "gradient-web-0-aaaaaa", 0)), Is.Empty);

    [Test]
    public void Of_SecondContainerOfTheSameReplica_TaggedWithItsNameSuffixAndEachKeepsItsTag()
    {
        var tags = LogTags.For(follow: true, containers: 1);
        var first = Container("c1", "gradient-web-0-aaaaaa", 0);
        var next = Container("c2", "/gradient-web-0-b1c2d3", 0);

        Assert.Multiple(() =>
        {
            Assert.That(tags.Of(first), Is.EqualTo("[0] "));
            Assert.That(tags.Of(next), Is.EqualTo("[0 b1c2d3] "));
            Assert.That(tags.Of(Container("c3", "gradient-web-1-cccccc", 1)), Is.EqualTo("[1] "));
            Assert.That(tags.Of(first), Is.EqualTo("[0] "), "a container keeps its tag");
        });
    }

    [Test]
    public void Of_FullTags_EveryContainerByItsIndexAndSuffixWhateverCameFirst()
    {
        var tags = LogTags.For(follow: true, containers: 1, full: true);
        var notFollowed = LogTags.For(follow: false, containers: 1, full: true);

        Assert.Multiple(() =>
        {
            Assert.That(tags.Of(Container("c2", "gradient-web-0-b1c2d3", 0)), Is.EqualTo("[0 b1c2d3] "), "the first one too: a stream asked again tags it alike");
            Assert.That(tags.Of(Container("c1", "gradient-web-0-aaaaaa", 0)), Is.EqualTo("[0 aaaaaa] "));
            Assert.That(notFollowed.Of(Container("c1", "gradient-web-0-aaaaaa", 0)), Is.EqualTo("[0 aaaaaa] "), "asked for, given");
        });
    }

    private static ContainerSummary Container(string id, string name, int index) =>
        new(id, name, "web:1", new Dictionary<string, string> { [ContainerLabels.Replica] = index.ToString(System.Globalization.CultureInfo.InvariantCulture) }, "running", "Up", DateTimeOffset.UnixEpoch);
}
