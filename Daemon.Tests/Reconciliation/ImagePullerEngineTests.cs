using System.Text;
using GradientNode.Core.Engine;
using GradientNode.Core.Reconciliation;
using GradientNode.Core.Registries;
using GradientNode.Core.Specs;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

/// <summary>The puller against the real dockerd: a connection's credentials never reach another registry host.</summary>
[TestFixture]
[Category("Engine")]
internal sealed class ImagePullerEngineTests
{
    private string _state = string.Empty;

    [SetUp]
    public void SetUp() => _state = Directory.CreateTempSubdirectory("gn-puller-engine-").FullName;

    [TearDown]
    public void TearDown()
    {
        if (_state.Length > 0)
        {
            Directory.Delete(_state, recursive: true);
            _state = string.Empty;
        }
    }

    [Test]
    public async Task EnsureAsync_ImageOnAnotherRegistryThanTheConnection_CredentialsNeverArriveThereAndStatusNamesBothHosts()
    {
        var registry = TestRegistry.Require();
        using var engine = await TestEnvironment.RequireEngineAsync();
        using var impostor = new FakeBasicAuthRegistry();
        var registries = new RegistryStore(_state);
        registries.Set(new RegistryConnection("prod", registry.Address, registry.Username, registry.Password, null, DateTimeOffset.UnixEpoch));
        using var puller = new ImagePuller(engine, registries, new PullProgressTracker(TimeProvider.System), TimeProvider.System);
        var image = $"{impostor.Address}/gradient-test/elsewhere:1";

        var state = await puller.EnsureAsync(Spec("prod", image), "aaaaaaaaaaaa", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(state.Error, Is.EqualTo($"image '{image}' is on registry {impostor.Address}, but containerRegistry 'prod' is for registry {registry.Address}; its credentials are only sent to {registry.Address}, so nothing was pulled"));
            Assert.That(state.Error, Does.Not.Contain(registry.Password));
            Assert.That(impostor.Authorizations, Is.Empty, "the connection's password never reached the other host");
            Assert.That(impostor.Requests, Is.Empty, "nothing was pulled");
        });
    }

    [Test]
    public async Task EnsureAsync_ConnectionForTheImpostorItself_CredentialsArriveThere()
    {
        // The control: the impostor does record credentials that dockerd sends it, so the test above can fail.
        using var engine = await TestEnvironment.RequireEngineAsync();
        using var impostor = new FakeBasicAuthRegistry();
        var registries = new RegistryStore(_state);
        registries.Set(new RegistryConnection("impostor", impostor.Address, "robot", "control-password", null, DateTimeOffset.UnixEpoch));
        using var puller = new ImagePuller(engine, registries, new PullProgressTracker(TimeProvider.System), TimeProvider.System);
        var spec = Spec("impostor", $"{impostor.Address}/gradient-test/elsewhere:1");

        Assert.That(await puller.EnsureAsync(spec, "aaaaaaaaaaaa", CancellationToken.None), Is.EqualTo(ImageState.Pulling));
        ImageState state = ImageState.Pulling;
        await TestTimeouts.WaitUntilAsync(async () => (state = await puller.EnsureAsync(spec, "aaaaaaaaaaaa", CancellationToken.None)).Error is not null, TestTimeouts.Container, "the pull to be refused");

        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("robot:control-password"));
        Assert.That(impostor.Authorizations, Does.Contain(expected));
        Assert.That(state.Error, Does.Not.Contain("control-password"));
    }

    private static DeploymentSpec Spec(string registry, string image) => SpecParser.Parse("/specs/hello.yaml", $"""
        name: hello
        containerRegistry: {registry}
        image: {image}
        resources:
          machineType: C4
          ports: [8080]
          replicas: 1
        """).Spec!;
}
