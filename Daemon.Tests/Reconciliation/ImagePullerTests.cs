using System.Runtime.CompilerServices;
using System.Text.Json;
using GradientNode.Core.Engine;
using GradientNode.Core.Reconciliation;
using GradientNode.Core.Registries;
using GradientNode.Core.Specs;
using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

[TestFixture]
[Category("Unit")]
internal sealed partial class ImagePullerTests
{
    private const string Password = "s3cret-registry-pa55";
    private const string Image = "registry.example:5000/ns/hello:1";
    private string _state = string.Empty;

    [SetUp]
    public void SetUp() => _state = Directory.CreateTempSubdirectory("gn-puller-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_state, recursive: true);

    [Test]
    public async Task EnsureAsync_PullRuns_PendingWithProgressInTheBackgroundThenReady()
    {
        var clock = new FakeTimeProvider();
        var engine = new ScriptedPullEngine { PullGate = new TaskCompletionSource() };
        engine.Script.Add((null, new PullProgress("Downloading", "a", 1_000_000, 4_000_000)));
        engine.Script.Add((() => clock.Advance(TimeSpan.FromMilliseconds(600)), new PullProgress("Downloading", "a", 2_000_000, 4_000_000)));
        using var puller = new ImagePuller(engine, new RegistryStore(_state), new PullProgressTracker(clock), clock);
        var changed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        puller.Changed += slug => changed.TrySetResult(slug);

        var first = await puller.EnsureAsync(Spec(), "aaaaaaaaaaaa", CancellationToken.None);
        await engine.PullStarted.Task.WaitAsync(TestTimeouts.Short);
        var during = puller.Progress.Get("hello");
        engine.PullGate.SetResult();
        var slug = await changed.Task.WaitAsync(TestTimeouts.Short);
        var after = await puller.EnsureAsync(Spec(), "aaaaaaaaaaaa", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(ImageState.Pulling), "the reconcile does not wait for the download");
            Assert.That(during?.BytesDone, Is.EqualTo(2_000_000));
            Assert.That(slug, Is.EqualTo("hello"), "the end of the pull asks for a reconcile");
            Assert.That(after with { Image = null }, Is.EqualTo(ImageState.Ready));
            Assert.That(puller.Progress.Get("hello"), Is.Null);
            Assert.That(engine.PullAuths, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task EnsureAsync_TwoDeploymentsSameImage_ShareOnePull()
    {
        var engine = new ScriptedPullEngine { PullGate = new TaskCompletionSource() };
        using var puller = new ImagePuller(engine, new RegistryStore(_state), new PullProgressTracker(new FakeTimeProvider()), new FakeTimeProvider());
        var changed = new List<string>();
        puller.Changed += slug => { lock (changed) { changed.Add(slug); } };

        await puller.EnsureAsync(Spec(), "aaaaaaaaaaaa", CancellationToken.None);
        await engine.PullStarted.Task.WaitAsync(TestTimeouts.Short);
        var other = await puller.EnsureAsync(Spec(name: "other"), "bbbbbbbbbbbb", CancellationToken.None);
        engine.PullGate.SetResult();
        await TestTimeouts.WaitUntilAsync(() => { lock (changed) { return changed.Count == 2; } }, "both deployments told");

        Assert.Multiple(async () =>
        {
            Assert.That(other, Is.EqualTo(ImageState.Pulling));
            Assert.That(engine.PullAuths, Has.Count.EqualTo(1));
            Assert.That(await puller.EnsureAsync(Spec(name: "other"), "bbbbbbbbbbbb", CancellationToken.None) with { Image = null }, Is.EqualTo(ImageState.Ready));
        });
    }

    [Test]
    public async Task EnsureAsync_SameVersionAgain_DoesNotPullAgain()
    {
        var engine = new ScriptedPullEngine();
        using var puller = new ImagePuller(engine, new RegistryStore(_state), new PullProgressTracker(new FakeTimeProvider()), new FakeTimeProvider());
        await puller.EnsureAsync(Spec(), "aaaaaaaaaaaa", CancellationToken.None);
        await TestTimeouts.WaitUntilAsync(async () => (await puller.EnsureAsync(Spec(), "aaaaaaaaaaaa", CancellationToken.None) with { Image = null }) == ImageState.Ready, TestTimeouts.Short, "the pull");

        var again = await puller.EnsureAsync(Spec(), "aaaaaaaaaaaa", CancellationToken.None);

        Assert.That(again with { Image = null }, Is.EqualTo(ImageState.Ready));
        Assert.That(engine.PullAuths, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task EnsureAsync_PullWithoutProgress_StoppedAfterStallTimeoutFailsWithMessageAndRetriesAfterBackoff()
    {
        var clock = new FakeTimeProvider();
        var engine = new ScriptedPullEngine { PullGate = new TaskCompletionSource() };
        using var puller = new ImagePuller(engine, new RegistryStore(_state), new PullProgressTracker(clock), clock, new PullOptions { StallTimeout = TimeSpan.FromSeconds(5) });
        await puller.EnsureAsync(Spec(), "aaaaaaaaaaaa", CancellationToken.None);
        await engine.PullStarted.Task.WaitAsync(TestTimeouts.Short);

        ImageState state = ImageState.Pulling;
        await TestTimeouts.WaitUntilAsync(
            async () =>
            {
                clock.Advance(TimeSpan.FromSeconds(1)); // the watchdog looks once a second
                state = await puller.EnsureAsync(Spec(), "aaaaaaaaaaaa", CancellationToken.None);
                return !state.Pending;
            },
            TestTimeouts.Short,
            "the stalled pull to fail");

        Assert.That(state.Error, Does.StartWith($"image '{Image}' could not be pulled: no progress for 5s; the pull was stopped (attempt 1; retrying in "));
        Assert.That(engine.PullCancelled, Is.True, "the hung pull was cancelled");
        Assert.That(puller.Progress.Get("hello"), Is.Null);

        clock.Advance(TimeSpan.FromSeconds(11));
        var retried = await puller.EnsureAsync(Spec(), "aaaaaaaaaaaa", CancellationToken.None);

        Assert.That(retried, Is.EqualTo(ImageState.Pulling), "a new attempt once the backoff has passed");
        await TestTimeouts.WaitUntilAsync(() => { lock (engine.PullAuths) { return engine.PullAuths.Count == 2; } }, "the second attempt to reach the engine");
    }

    [Test]
    public async Task EnsureAsync_PullFailedThenWallClockStepsBackAnHour_RetriedAfterItsBackoff()
    {
        // Before, the retry time was a wall-clock instant: after a step back of an hour the image was not pulled again for
        // an hour ("retrying in 3610s").
        var clock = new SteppingTimeProvider();
        var engine = new ScriptedPullEngine();
        engine.Script.Add((() => throw new InvalidCastException("Unable to cast 'Foo' to 'Bar'"), new PullProgress("Downloading", "a", 1, 2)));
        using var puller = new ImagePuller(engine, new RegistryStore(_state), new PullProgressTracker(clock), clock);
        await puller.EnsureAsync(Spec(), "aaaaaaaaaaaa", CancellationToken.None);
        await TestTimeouts.WaitUntilAsync(async () => (await puller.EnsureAsync(Spec(), "aaaaaaaaaaaa", CancellationToken.None)).Error is not null, TestTimeouts.Short, "the pull to fail");

        clock.Step(TimeSpan.FromHours(-1));
        var waiting = await puller.EnsureAsync(Spec(), "aaaaaaaaaaaa", CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(11));
        var retried = await puller.EnsureAsync(Spec(), "aaaaaaaaaaaa", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(waiting.Error, Does.EndWith("(attempt 1; retrying in 10s)"));
            Assert.That(retried, Is.EqualTo(ImageState.Pulling), "a new attempt once its 10 s passed");
        });
    }

    [Test]
    public async Task EnsureAsync_PullThrowsUnexpectedException_FailsWithItsMessageInsteadOfPullingForever()
    {
        var engine = new ScriptedPullEngine();
        engine.Script.Add((() => throw new InvalidCastException("Unable to cast 'Foo' to 'Bar'"), new PullProgress("Downloading", "a", 1, 2)));
        using var puller = new ImagePuller(engine, new RegistryStore(_state), new PullProgressTracker(new FakeTimeProvider()), new FakeTimeProvider());

        await puller.EnsureAsync(Spec(), "aaaaaaaaaaaa", CancellationToken.None);
        ImageState state = ImageState.Pulling;
        await TestTimeouts.WaitUntilAsync(async () => (state = await puller.EnsureAsync(Spec(), "aaaaaaaaaaaa", CancellationToken.None)).Error is not null, TestTimeouts.Short, "the pull to fail");

        Assert.That(state.Error, Does.StartWith($"image '{Image}' could not be pulled: Unable to cast 'Foo' to 'Bar' (attempt 1; retrying in 10s)"));
    }

    [Test]
    public async Task EnsureAsync_EngineCannotResolveThePublicImagesRegistry_SaysTheImageOnceWithTheEnginesWordsAndWhatToDo()
    {
        var engine = new ScriptedPullEngine();
        var answer = "Get \"https://registry.example:5000/v2/\": dial tcp: lookup registry.example: no such host";
        engine.Script.Add((() => throw DockerErrors.ToPullException(Image, answer, 500), new PullProgress("Downloading", "a", 1, 2)));
        using var puller = new ImagePuller(engine, new RegistryStore(_state), new PullProgressTracker(new FakeTimeProvider()), new FakeTimeProvider());

        await puller.EnsureAsync(Spec(), "aaaaaaaaaaaa", CancellationToken.None);
        ImageState state = ImageState.Pulling;
        await TestTimeouts.WaitUntilAsync(async () => (state = await puller.EnsureAsync(Spec(), "aaaaaaaaaaaa", CancellationToken.None)).Error is not null, TestTimeouts.Short, "the pull to fail");

        // Before: the engine's words alone; an offline node (Gradient's docs write public images) was told no next step.
        Assert.That(state.Error, Does.StartWith($"image '{Image}' could not be pulled: {answer} (the registry registry.example:5000 did not answer this node: "
            + $"check that the node reaches it (network, DNS, proxy), or put the image on the node yourself (docker load -i FILE, or docker build -t {Image} .), and it runs without a pull) (attempt 1; retrying in "));
    }

    [Test]
    public async Task EnsureAsync_ContainerRegistryFileDamaged_FailsSayingItIsDamagedNotUnknown()
    {
        var registries = new RegistryStore(_state);
        File.WriteAllText(Path.Combine(registries.Directory, "private.json"), "{\"name\":\"private\",\"password\":\"" + Password[..3]);
        using var puller = new ImagePuller(new ScriptedPullEngine(), registries, new PullProgressTracker(new FakeTimeProvider()), new FakeTimeProvider());

        var state = await puller.EnsureAsync(Spec("containerRegistry: private\n"), "aaaaaaaaaaaa", CancellationToken.None);

        // Before: "containerRegistry 'private' is not a stored registry connection (add it: …)".
        Assert.That(state.Error, Does.StartWith("containerRegistry 'private': its stored file registries/private.json is damaged (it ends early").And.EndWith("or remove it (gradient-node registries rm private)").And.Not.Contain(Password[..3]));
    }

    [Test]
    public async Task EnsureAsync_ConnectionsRegistryDoesNotAnswer_SaysHowToCheckIt()
    {
        var registries = new RegistryStore(_state);
        registries.Set(new RegistryConnection("private", "registry.example:5000", "robot", Password, null, DateTimeOffset.UnixEpoch));
        var engine = new ScriptedPullEngine();
        var answer = "Get \"https://registry.example:5000/v2/\": dial tcp 10.0.0.9:5000: connect: connection refused";
        engine.Script.Add((() => throw DockerErrors.ToPullException(Image, answer, 500), new PullProgress("Downloading", "a", 1, 2)));
        using var puller = new ImagePuller(engine, registries, new PullProgressTracker(new FakeTimeProvider()), new FakeTimeProvider());

        await puller.EnsureAsync(Spec("containerRegistry: private\n"), "aaaaaaaaaaaa", CancellationToken.None);
        ImageState state = ImageState.Pulling;
        await TestTimeouts.WaitUntilAsync(async () => (state = await puller.EnsureAsync(Spec("containerRegistry: private\n"), "aaaaaaaaaaaa", CancellationToken.None)).Error is not null, TestTimeouts.Short, "the pull to fail");

        // Before: the engine's words and nothing else; only a refused pull pointed at registries test.
        Assert.That(state.Error, Does.StartWith($"image '{Image}' could not be pulled: {answer} (check the registry answers: gradient-node registries test private) (attempt 1;"));
    }

    [Test]
    public async Task EnsureAsync_WithRegistryCredentials_SentToItsHostAndProgressCarriesNoPassword()
    {
        var registries = new RegistryStore(_state);
        registries.Set(new RegistryConnection("private", "https://Registry.Example:5000/v2/", "robot", Password, null, DateTimeOffset.UnixEpoch));
        var engine = new ScriptedPullEngine { PullGate = new TaskCompletionSource() };
        engine.Script.Add((null, new PullProgress("Downloading", "a", 5, 10)));
        using var puller = new ImagePuller(engine, registries, new PullProgressTracker(new FakeTimeProvider()), new FakeTimeProvider());

        var state = await puller.EnsureAsync(Spec("containerRegistry: private\n"), "aaaaaaaaaaaa", CancellationToken.None);
        await engine.PullStarted.Task.WaitAsync(TestTimeouts.Short);
        var progress = puller.Progress.Get("hello");
        engine.PullGate.SetResult();

        Assert.Multiple(() =>
        {
            Assert.That(state, Is.EqualTo(ImageState.Pulling));
            Assert.That(engine.PullAuths.Single()?.Password, Is.EqualTo(Password));
            Assert.That(progress, Is.Not.Null);
            Assert.That(JsonSerializer.Serialize(progress!, StatusJsonContext.Default.PullStatus) + progress!.Describe(), Does.Not.Contain(Password));
        });
    }

    [Test]
    public async Task EnsureAsync_ConnectionForAnotherHost_FailsNamingBothHostsAndPullsNothing()
    {
        var registries = new RegistryStore(_state);
        registries.Set(new RegistryConnection("prod", "https://prod.example/v2/", "robot", Password, null, DateTimeOffset.UnixEpoch));
        var engine = new ScriptedPullEngine();
        using var puller = new ImagePuller(engine, registries, new PullProgressTracker(new FakeTimeProvider()), new FakeTimeProvider());

        var state = await puller.EnsureAsync(Spec("containerRegistry: prod\n", image: "other.example/x:1"), "aaaaaaaaaaaa", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(state.Error, Is.EqualTo("image 'other.example/x:1' is on registry other.example, but containerRegistry 'prod' is for registry prod.example; its credentials are only sent to prod.example, so nothing was pulled"));
            Assert.That(state.Error, Does.Not.Contain(Password));
            Assert.That(engine.PullAuths, Is.Empty, "nothing was pulled");
        });
    }

    [Test]
    public async Task EnsureAsync_PullNeverEndsAndThePullerIsDropped_FinalizersStillRun()
    {
        // The CI once hung here: an abandoned pull's watchdog timer was finalized, each later wait ended at once and
        // the pull loop spun on the finalizer thread, so every GC.WaitForPendingFinalizers after it waited forever.
        await StartAbandonedPullAsync(_state);

        var finalizers = Task.Run(() =>
        {
            for (var i = 0; i < 3; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        });

        Assert.That(await TestTimeouts.CompletesWithinAsync(finalizers, TestTimeouts.Short), Is.True, "finalizers ran to the end");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task StartAbandonedPullAsync(string state)
    {
        var engine = new ScriptedPullEngine { PullGate = new TaskCompletionSource() };
        var puller = new ImagePuller(engine, new RegistryStore(state), new PullProgressTracker(new FakeTimeProvider()), new FakeTimeProvider());
        await puller.EnsureAsync(Spec(), "aaaaaaaaaaaa", CancellationToken.None);
        await engine.PullStarted.Task.WaitAsync(TestTimeouts.Short);
    }

    [TestCase("", "registry.example/app:1", false)]
    [TestCase("", "registry.example/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", false)]
    [TestCase("", "registry.example/app:latest", true)]
    [TestCase("", "registry.example/app", true)]
    [TestCase("containerRegistry: mine\n", "registry.example/app:1", true)]
    public void PullsEachVersion_ContainerRegistryOrLatest_TrueOtherwiseFalse(string extra, string image, bool expected)
    {
        Assert.That(ImagePuller.PullsEachVersion(Spec(extra, image: image)), Is.EqualTo(expected));
    }

    private static DeploymentSpec Spec(string extra = "", string name = "hello", string image = Image) => SpecParser.Parse($"/specs/{name}.yaml", extra + $"""
        name: {name}
        image: {image}
        resources:
          machineType: C4
          ports: [8080]
          replicas: 1
        """).Spec!;
}
