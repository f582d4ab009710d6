using GradientNode.Core.Status;
using NUnit.Framework;

namespace GradientNode.Tests.Status;

[TestFixture]
[Category("Unit")]
internal sealed class PullStatusTests
{
    [Test]
    public void Describe_KnownSizes_GivesMegabytesAndLayers()
    {
        var pull = new PullStatus { Image = "ns/model:3", LayersDone = 3, LayersTotal = 7, BytesDone = 12_345_678, BytesTotal = 45_600_000 };

        Assert.That(pull.Describe(), Is.EqualTo("ns/model:3 12.3 MB of 45.6 MB (3/7 layers)"));
    }

    [Test]
    public void Describe_NoSizeKnownYet_GivesLayersOnly()
    {
        var pull = new PullStatus { Image = "ns/model:3", LayersTotal = 2 };

        Assert.That(pull.Describe(), Is.EqualTo("ns/model:3 (0/2 layers)"));
    }
}
