using GradientNode.Core.Engine;
using GradientNode.Core.Reconciliation;
using GradientNode.Core.Registries;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

/// <summary>A new version (a restart) whose pull fails while the image is already on the node: the local image, or not.</summary>
internal sealed partial class ImagePullerTests
{
    private const string Refused = "Get \"https://registry.example:5000/v2/\": dial tcp 10.0.0.9:5000: connect: connection refused";

    [Test]
    public async Task EnsureAsync_RegistryDownAndTheImageOnTheNode_ReadyWithAWarningNamingTheRegistryAndItsError()
    {
        var engine = new ScriptedPullEngine();
        engine.AddImage(Image);
        engine.Script.Add((() => throw DockerErrors.ToPullException(Image, Refused, 500), new PullProgress("Downloading", "a", 1, 2)));
        using var puller = new ImagePuller(engine, Registries(), new PullProgressTracker(new FakeTimeProvider()), new FakeTimeProvider());

        var first = await puller.EnsureAsync(Spec("containerRegistry: private\n"), "aaaaaaaaaaaa", CancellationToken.None);
        var state = await SettledAsync(puller, "aaaaaaaaaaaa");
        var again = await puller.EnsureAsync(Spec("containerRegistry: private\n"), "aaaaaaaaaaaa", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(ImageState.Pulling), "the pull is tried first: a re-pushed tag is picked up when the registry answers");
            Assert.That(state.Error, Is.Null);
            Assert.That(state.Warning, Does.StartWith("could not pull from registry registry.example:5000 (containerRegistry 'private'), so the image already on this node runs: ")
                .And.Contain(Refused));
            Assert.That(again.Warning, Is.EqualTo(state.Warning), "the version keeps saying which image it runs");
            Assert.That(puller.WarningOf("hello", "aaaaaaaaaaaa"), Is.EqualTo(state.Warning));
            Assert.That(puller.WarningOf("hello", "bbbbbbbbbbbb"), Is.Null, "another version has its own pull");
            Assert.That(state.Warning, Does.Not.Contain(Password));
        });
    }

    [Test]
    public async Task EnsureAsync_RegistryDownAndNoImageOnTheNode_FailsAsBefore()
    {
        var engine = new ScriptedPullEngine();
        engine.Script.Add((() => throw DockerErrors.ToPullException(Image, Refused, 500), new PullProgress("Downloading", "a", 1, 2)));
        using var puller = new ImagePuller(engine, Registries(), new PullProgressTracker(new FakeTimeProvider()), new FakeTimeProvider());

        await puller.EnsureAsync(Spec("containerRegistry: private\n"), "aaaaaaaaaaaa", CancellationToken.None);
        var state = await SettledAsync(puller, "aaaaaaaaaaaa");

        Assert.That(state.Error, Does.StartWith($"image '{Image}' could not be pulled: {Refused}"));
    }

    [Test]
    public async Task EnsureAsync_RegistryRefusesTheCredentialsAndTheImageOnTheNode_StillFails()
    {
        // A refusal is the registry's own answer, no outage: checking the credentials is what the pull is for.
        var engine = new ScriptedPullEngine();
        engine.AddImage(Image);
        engine.Script.Add((() => throw new ImagePullDeniedException(Image, "unauthorized: authentication required"), new PullProgress("Downloading", "a", 1, 2)));
        using var puller = new ImagePuller(engine, Registries(), new PullProgressTracker(new FakeTimeProvider()), new FakeTimeProvider());

        await puller.EnsureAsync(Spec("containerRegistry: private\n"), "aaaaaaaaaaaa", CancellationToken.None);
        var state = await SettledAsync(puller, "aaaaaaaaaaaa");

        Assert.Multiple(() =>
        {
            Assert.That(state.Error, Does.Contain("was refused by its registry with the credentials of 'private'"));
            Assert.That(state.Warning, Is.Null);
        });
    }

    private RegistryStore Registries()
    {
        var registries = new RegistryStore(_state);
        registries.Set(new RegistryConnection("private", "registry.example:5000", "robot", Password, null, DateTimeOffset.UnixEpoch));
        return registries;
    }

    /// <summary>Asks until the background pull has ended: the state then (ready, or failed).</summary>
    private static async Task<ImageState> SettledAsync(ImagePuller puller, string hash)
    {
        ImageState state = ImageState.Pulling;
        await TestTimeouts.WaitUntilAsync(
            async () => !(state = await puller.EnsureAsync(Spec("containerRegistry: private\n"), hash, CancellationToken.None)).Pending,
            TestTimeouts.Short,
            "the pull to end");
        return state;
    }
}
