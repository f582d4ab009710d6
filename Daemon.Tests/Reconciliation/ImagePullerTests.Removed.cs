using GradientNode.Core.Reconciliation;
using GradientNode.Core.Registries;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

/// <summary>An image taken away from the engine after it was pulled for the version that runs.</summary>
internal sealed partial class ImagePullerTests
{
    [Test]
    public async Task EnsureAsync_ImageRemovedAfterItWasPulledForThisVersion_PulledAgain()
    {
        // docker rmi -f under a running replica: before, the version stayed "pulled", and every create after the next
        // crash failed with "No such image" until the node restarted.
        var engine = new ScriptedPullEngine();
        using var puller = new ImagePuller(engine, new RegistryStore(_state), new PullProgressTracker(new FakeTimeProvider()), new FakeTimeProvider());
        await puller.EnsureAsync(Spec(), "aaaaaaaaaaaa", CancellationToken.None);
        await TestTimeouts.WaitUntilAsync(async () => (await puller.EnsureAsync(Spec(), "aaaaaaaaaaaa", CancellationToken.None) with { Image = null }) == ImageState.Ready, TestTimeouts.Short, "the pull");
        engine.RemoveImage(Image);

        var afterRemoval = await puller.EnsureAsync(Spec(), "aaaaaaaaaaaa", CancellationToken.None);
        await TestTimeouts.WaitUntilAsync(async () => (await puller.EnsureAsync(Spec(), "aaaaaaaaaaaa", CancellationToken.None) with { Image = null }) == ImageState.Ready, TestTimeouts.Short, "the second pull");

        Assert.Multiple(() =>
        {
            Assert.That(afterRemoval, Is.EqualTo(ImageState.Pulling));
            Assert.That(engine.PullAuths, Has.Count.EqualTo(2), "pulled again");
        });
    }
}
