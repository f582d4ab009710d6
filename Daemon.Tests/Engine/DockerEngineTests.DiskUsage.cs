using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Engine;

internal sealed partial class DockerEngineTests
{
    [Test]
    public async Task GetImagesDiskUsageAsync_TestImagesPresent_CountsTheirBytes()
    {
        // SetUp required the busybox-based test images, so the images hold at least one busybox binary's bytes.
        var bytes = await _engine.GetImagesDiskUsageAsync(Token(TestTimeouts.Container));

        Assert.That(bytes, Is.GreaterThan(100_000));
    }
}
