using GradientNode.Core.Engine;
using GradientNode.Core.Gpus;
using GradientNode.Core.Integrations;
using GradientNode.Core.Reconciliation;
using GradientNode.Core.Secrets;
using GradientNode.Core.Specs;
using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;
using static GradientNode.Tests.Reconciliation.ReconcilerTestData;

namespace GradientNode.Tests.Reconciliation;

[TestFixture]
[Category("Unit")]
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
internal sealed class VersionPreparerTests
{
    private readonly FakeTimeProvider _clock = new();
    private readonly ScriptedPullEngine _engine = new();
    private readonly FakeHooks _hooks = new();

    [Test]
    public async Task PrepareAsync_NoSpec_NothingToPrepare()
    {
        var prepared = await Preparer().PrepareAsync(null, string.Empty, DesiredReplicas.None("removed"), Plan(), _clock.GetUtcNow(), CancellationToken.None);

        Assert.That(prepared, Is.SameAs(Preparation.None));
    }

    [Test]
    public async Task PrepareAsync_UnknownMachineType_ErrorAndNoPull()
    {
        _hooks.MachineTypeError = "unknown machine type 'X9'";

        var prepared = await Preparer().PrepareAsync(Spec(), "h", new DesiredReplicas(1, "h"), Plan(new CreateReplica(0)), _clock.GetUtcNow(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(prepared.Error, Is.EqualTo("unknown machine type 'X9'"));
            Assert.That(prepared.Ready, Is.False);
            Assert.That(_engine.PullAuths, Is.Empty, "nothing pulled for a version that cannot start");
        });
    }

    [Test]
    public async Task PrepareAsync_SecretMissing_ErrorNamesItAndNoVolumes()
    {
        _hooks.Missing = ["secret 'pw' is not set"];

        var prepared = await Preparer().PrepareAsync(Spec(), "h", new DesiredReplicas(1, "h"), Plan(new CreateReplica(0)), _clock.GetUtcNow(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(prepared.Error, Is.EqualTo("secret 'pw' is not set"));
            Assert.That(_hooks.Prepared, Is.Zero);
        });
    }

    [Test]
    public async Task PrepareAsync_VolumesPending_NotReadyAndNoPull()
    {
        _hooks.Volumes = new MaterializeResult([], true, null);

        var prepared = await Preparer().PrepareAsync(Spec(), "h", new DesiredReplicas(1, "h"), Plan(new CreateReplica(0)), _clock.GetUtcNow(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(prepared.Error, Is.Null);
            Assert.That(prepared.Ready, Is.False);
            Assert.That(_engine.PullAuths, Is.Empty);
        });
    }

    [Test]
    public async Task PrepareAsync_ImageMissing_PullsInTheBackgroundAndJournalsProgress()
    {
        var journal = new ReplicaJournal();
        _engine.PullGate = new TaskCompletionSource();
        _engine.Script.Add((null, new PullProgress("Downloading", "a", 1_000_000, 4_000_000)));
        var preparer = Preparer(journal);
        await preparer.PrepareAsync(Spec(), "h", new DesiredReplicas(1, "h"), Plan(new CreateReplica(0)), _clock.GetUtcNow(), CancellationToken.None);
        await _engine.PullStarted.Task.WaitAsync(TestTimeouts.Short);

        var prepared = await preparer.PrepareAsync(Spec(), "h", new DesiredReplicas(1, "h"), Plan(new CreateReplica(0)), _clock.GetUtcNow(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(prepared.Pulling, Is.True);
            Assert.That(preparer.PullOf("web"), Is.Not.Null);
            Assert.That(journal.History("web-0").Select(e => e.State), Does.Contain("pulling"));
        });
        _engine.PullGate.SetResult();
    }

    [Test]
    public async Task PrepareAsync_NothingToCreateAndSecretGone_ErrorNamesIt()
    {
        _hooks.Missing = ["secret 'pw' is not set"];

        var prepared = await Preparer().PrepareAsync(Spec(), "h", new DesiredReplicas(1, "h"), Plan(), _clock.GetUtcNow(), CancellationToken.None);

        Assert.That(prepared.Error, Is.EqualTo("secret 'pw' is not set"));
    }

    [Test]
    public async Task PrepareAsync_NothingToCreateAndRegistryConnectionRemoved_ErrorNamesItAndHowToAddIt()
    {
        // newuser16: `registries rm teamreg` under a running deployment left it Ready, while its next scale-up or crash
        // restart could not pull; a removed secret made it Degraded at once (checked on every pass).
        var state = Directory.CreateTempSubdirectory("gn-preparer-").FullName;
        try
        {
            var spec = Spec() with { Image = "127.0.0.1:5000/team/model:1", ContainerRegistry = "teamreg" };
            var preparer = Preparer(registries: new GradientNode.Core.Registries.RegistryStore(state));

            var prepared = await preparer.PrepareAsync(spec, "h", new DesiredReplicas(1, "h"), Plan(), _clock.GetUtcNow(), CancellationToken.None);
            var scaledToZero = await preparer.PrepareAsync(spec, "h", new DesiredReplicas(0, "h"), Plan(), _clock.GetUtcNow(), CancellationToken.None);

            Assert.Multiple(() =>
            {
                Assert.That(prepared.Error, Is.EqualTo("containerRegistry 'teamreg' is not a stored registry connection (add it: gradient-node registries add teamreg --url 127.0.0.1:5000 --username U --password-stdin)"));
                Assert.That(scaledToZero.Error, Is.Null, "nothing to start, nothing to say");
                Assert.That(_engine.PullAuths, Is.Empty, "nothing pulled");
            });
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    [Test]
    public async Task PrepareAsync_NothingToCreateAndRegistryConnectionStored_NoError()
    {
        var state = Directory.CreateTempSubdirectory("gn-preparer-").FullName;
        try
        {
            var registries = new GradientNode.Core.Registries.RegistryStore(state);
            registries.Set(new GradientNode.Core.Registries.RegistryConnection("teamreg", "http://127.0.0.1:5000", "ci", "pw", null, _clock.GetUtcNow()));
            var spec = Spec() with { Image = "127.0.0.1:5000/team/model:1", ContainerRegistry = "teamreg" };

            var prepared = await Preparer(registries: registries).PrepareAsync(spec, "h", new DesiredReplicas(1, "h"), Plan(), _clock.GetUtcNow(), CancellationToken.None);

            Assert.That(prepared.Error, Is.Null);
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    [Test]
    public async Task PrepareAsync_PullFailedAndWaitingOutItsBackoff_LogsTheFailureOncePerAttempt()
    {
        var logger = new CollectingLogger<VersionPreparer>();
        _engine.Script.Add((() => throw new EngineException("image 'web:1' was not found", 404), new PullProgress("Downloading", "a", 1, 2)));
        var preparer = Preparer(logger: logger);
        Preparation prepared = null!;
        await TestTimeouts.WaitUntilAsync(
            async () =>
            {
                prepared = await preparer.PrepareAsync(Spec(), "h", new DesiredReplicas(1, "h"), Plan(new CreateReplica(0)), _clock.GetUtcNow(), CancellationToken.None);
                return prepared.Error is not null;
            },
            TestTimeouts.Short,
            "a pass that sees the pull's failure");

        // Two more reconcile passes within the 10 s backoff: the same failure, only its countdown changed.
        for (var pass = 0; pass < 2; pass++)
        {
            _clock.Advance(TimeSpan.FromSeconds(3));
            prepared = await preparer.PrepareAsync(Spec(), "h", new DesiredReplicas(1, "h"), Plan(new CreateReplica(0)), _clock.GetUtcNow(), CancellationToken.None);
        }

        Assert.Multiple(() =>
        {
            Assert.That(prepared.Error, Does.Contain("attempt 1; retrying in"), "the status still carries the countdown");
            Assert.That(logger.Events.Count(e => e.Id.Id == 1007), Is.EqualTo(1), string.Join("\n", logger.Events.Select(e => e.Message)));
        });
    }

    [Test]
    public void Forget_RemovedDeployment_ReleasesVolumesAndSecrets()
    {
        Preparer().Forget("web");

        Assert.That(_hooks.Forgotten, Is.EqualTo(new[] { "volumes:web", "secrets:web" }));
    }

    private VersionPreparer Preparer(ReplicaJournal? journal = null, CollectingLogger<VersionPreparer>? logger = null, GradientNode.Core.Registries.RegistryStore? registries = null) => new(
        _hooks,
        _hooks,
        _hooks,
        new ImagePuller(_engine, registries, new PullProgressTracker(_clock), _clock),
        journal ?? new ReplicaJournal(),
        logger is null ? NullLogger<VersionPreparer>.Instance : logger);

    private sealed class FakeHooks : IGpuGate, IVersionSecrets, IVersionVolumes
    {
        public string? MachineTypeError { get; set; }

        public IReadOnlyList<string> Missing { get; set; } = [];

        public MaterializeResult Volumes { get; set; } = MaterializeResult.None;

        public int Prepared { get; private set; }

        public List<string> Forgotten { get; } = [];

        public string? Validate(string machineType) => MachineTypeError;

        public Task<GpuLease?> AcquireAsync(string slug, int index, string machineType, CancellationToken cancellationToken) => Task.FromResult<GpuLease?>(null);

        public SecretResolution Resolve(DeploymentSpec spec, string versionHash) => new(new Dictionary<string, string>(), Missing);

        public void Forget(string slug) => Forgotten.Add($"secrets:{slug}");

        public MaterializeResult Prepare(DeploymentSpec spec, string version, SecretResolution secrets)
        {
            Prepared++;
            return Volumes;
        }

        public IReadOnlyList<VolumeStatus> StatusOf(string slug) => [];

        public void Release(string slug) => Forgotten.Add($"volumes:{slug}");
    }
}
