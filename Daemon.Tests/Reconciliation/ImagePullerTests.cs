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
internal sealed class ImagePullerTests
{
    private const string Password = "s3cret-registry-pa55";
    private string _state = string.Empty;

    [SetUp]
    public void SetUp() => _state = Directory.CreateTempSubdirectory("gn-puller-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_state, recursive: true);

    [Test]
    public async Task EnsureAsync_PullRuns_ProgressIsTrackedThenCleared()
    {
        var clock = new FakeTimeProvider();
        var engine = new ScriptedPullEngine();
        engine.Script.Add((null, new PullProgress("Downloading", "a", 1_000_000, 4_000_000)));
        engine.Script.Add((() => clock.Advance(TimeSpan.FromSeconds(1)), new PullProgress("Downloading", "a", 2_000_000, 4_000_000)));
        engine.Script.Add((null, new PullProgress("Pull complete", "a", null, null)));
        var puller = new ImagePuller(engine, new RegistryStore(_state), new PullProgressTracker(clock));
        var seen = new List<PullStatus?>();

        var error = await puller.EnsureAsync(Spec(), "aaaaaaaaaaaa", _ => seen.Add(puller.Progress.Get("hello")), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(error, Is.Null);
            Assert.That(seen.Select(s => s?.BytesDone), Is.EqualTo(new long?[] { 0, 2_000_000, 4_000_000 }), "start, one throttled update, end");
            Assert.That(seen[^1]?.LayersDone, Is.EqualTo(1));
            Assert.That(puller.Progress.Get("hello"), Is.Null);
        });
    }

    [Test]
    public async Task EnsureAsync_SameVersionAgain_DoesNotPullOrReport()
    {
        var engine = new ScriptedPullEngine();
        var puller = new ImagePuller(engine, new RegistryStore(_state), new PullProgressTracker(new FakeTimeProvider()));
        await puller.EnsureAsync(Spec(), "aaaaaaaaaaaa", null, CancellationToken.None);
        var reports = 0;

        await puller.EnsureAsync(Spec(), "aaaaaaaaaaaa", _ => reports++, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(engine.PullAuths, Has.Count.EqualTo(1));
            Assert.That(reports, Is.Zero);
        });
    }

    [Test]
    public async Task EnsureAsync_WithRegistryCredentials_ProgressCarriesNoPassword()
    {
        var registries = new RegistryStore(_state);
        registries.Set(new RegistryConnection("private", "registry.example:5000", "robot", Password, null, DateTimeOffset.UnixEpoch));
        var engine = new ScriptedPullEngine();
        engine.Script.Add((null, new PullProgress("Downloading", "a", 5, 10)));
        var puller = new ImagePuller(engine, registries, new PullProgressTracker(new FakeTimeProvider()));
        var seen = new List<PullStatus>();

        await puller.EnsureAsync(Spec("containerRegistry: private\n"), "aaaaaaaaaaaa", seen.Add, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(engine.PullAuths.Single()?.Password, Is.EqualTo(Password));
            Assert.That(seen, Is.Not.Empty);
            Assert.That(seen.Select(s => JsonSerializer.Serialize(s, StatusJsonContext.Default.PullStatus) + s.Describe()), Has.None.Contain(Password));
        });
    }

    private static DeploymentSpec Spec(string extra = "") => SpecParser.Parse("/specs/hello.yaml", extra + """
        name: hello
        image: registry.example:5000/ns/hello:1
        resources:
          machineType: C4
          ports: [8080]
          replicas: 1
        """).Spec!;
}
