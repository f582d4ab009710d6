using GradientNode.Core.Reconciliation;
using GradientNode.Core.Registries;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

/// <summary>A <c>containerRegistry</c> the node holds no connection for.</summary>
internal sealed partial class ImagePullerTests
{
    [Test]
    public async Task EnsureAsync_ContainerRegistryNotStored_TheAddLineNamesTheImagesRegistryHost()
    {
        using var puller = new ImagePuller(new ScriptedPullEngine(), new RegistryStore(_state), new PullProgressTracker(new FakeTimeProvider()), new FakeTimeProvider());

        var state = await puller.EnsureAsync(Spec("containerRegistry: private\n"), "aaaaaaaaaaaa", CancellationToken.None);

        // Before: "--url URL": the user had to work out that the connection is for the image's host.
        Assert.That(state.Error, Is.EqualTo("containerRegistry 'private' is not a stored registry connection (add it: gradient-node registries add private --url registry.example:5000 --username U --password-stdin)"));
    }
}
