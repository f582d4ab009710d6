using GradientNode.Core.Engine;
using GradientNode.Core.Reconciliation;
using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;
using static GradientNode.Tests.Reconciliation.ReconcilerTestData;

namespace GradientNode.Tests.Reconciliation;

[TestFixture]
[Category("Unit")]
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
internal sealed partial class PlanExecutorTests
{
    private readonly RecordingEngine _engine = new();
    private readonly ReplicaJournal _journal = new();
    private readonly FakeTimeProvider _clock = new();

    [Test]
    public async Task ExecuteAsync_PreparationReady_CreatesStartsAndJournalsPending()
    {
        var result = await Executor().ExecuteAsync("web", Spec(), "h", Plan(new CreateReplica(0), new CreateReplica(1, Restarts: 2)), Preparation.None, _clock.GetUtcNow(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result, Is.EqualTo(new Execution(null, null)));
            Assert.That(_engine.Created, Has.Count.EqualTo(2));
            Assert.That(_engine.Started, Has.Count.EqualTo(2));
            Assert.That(_journal.History("web-1").Single().Message, Is.EqualTo("restart 2"));
        });
    }

    [Test]
    public async Task ExecuteAsync_PreparationNotReady_CreatesNothing()
    {
        var pulling = Preparation.None with { Pulling = true };

        await Executor().ExecuteAsync("web", Spec(), "h", Plan(new CreateReplica(0)), pulling, _clock.GetUtcNow(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(_engine.Created, Is.Empty);
            Assert.That(_journal.History("web-0").Single().State, Is.EqualTo("pending"), "it still waits, and says so");
        });
    }

    [Test]
    public async Task ExecuteAsync_StartFails_RemovesTheContainerAndReturnsTheError()
    {
        _engine.StartFault = new EngineException("no space left on device");

        var result = await Executor().ExecuteAsync("web", Spec(), "h", Plan(new CreateReplica(0)), Preparation.None, _clock.GetUtcNow(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Does.StartWith("replica 0 could not be started: ").And.Contain("no space left on device"));
            Assert.That(_engine.Removed, Has.Count.EqualTo(1), "a created but unstarted container does not confuse the next plan");
        });
    }

    [Test]
    public async Task ExecuteAsync_StartRefusedEchoingASecret_ErrorNamesTheRefusalWithoutTheSecretValue()
    {
        var answer = new Docker.DotNet.DockerApiException(System.Net.HttpStatusCode.InternalServerError, """{"message":"exec failed: env API_KEY=s3cr3t-value rejected"}""");
        _engine.StartFault = DockerErrors.Translate(answer, "start container id-web-0", "unix:///x", containerId: "id-web-0");
        var secrets = new GradientNode.Core.Secrets.SecretResolution(new Dictionary<string, string> { ["api-key"] = "s3cr3t-value" }, []);

        var result = await Executor().ExecuteAsync("web", Spec(), "h", Plan(new CreateReplica(0)), Preparation.None with { Secrets = secrets }, _clock.GetUtcNow(), CancellationToken.None);

        Assert.That(result.Error, Is.EqualTo("replica 0 could not be started: the Docker engine refused start container id-web-0 (HTTP 500): exec failed: env API_KEY=*** rejected"));
    }

    [Test]
    public async Task ExecuteAsync_StartFails_TheCleanupsDestroyEventTriggersNoReconcile()
    {
        _engine.StartFault = new EngineException("environment variable value can't contain null");
        var echoes = new EngineEchoes(_clock);
        var executor = new PlanExecutor(_engine, NoHooks.Instance, NoHooks.Instance, _journal, new ReconcilerOptions(), _clock, NullLogger<PlanExecutor>.Instance, echoes);

        await executor.ExecuteAsync("web", Spec(), "h", Plan(new CreateReplica(0)), Preparation.None, _clock.GetUtcNow(), CancellationToken.None);
        var name = _engine.Created.Single().Name;
        var destroy = new EngineEvent("container", "destroy", $"id-{name}", new Dictionary<string, string> { ["name"] = name }, _clock.GetUtcNow());

        Assert.That(echoes.NeedsReconcile(destroy), Is.False, "a start that fails for good is retried after the error recheck, not at once in a loop");
    }

    [Test]
    public async Task ExecuteAsync_ReadyReplicaLeaves_DrainsThenStopsAndRemovesIt()
    {
        var drain = new CountingDrain();
        var leaving = Replica(0, "old");
        var run = Executor(drain).ExecuteAsync("web", Spec(), "h", Plan(new RemoveReplica(leaving, "replaced")), Preparation.None, _clock.GetUtcNow(), CancellationToken.None);
        Assert.That(_engine.Stopped, Is.Empty, "not before the drain time");

        _clock.Advance(new ReconcilerOptions().DrainTime);
        await run.WaitAsync(TestTimeouts.Short);

        Assert.Multiple(() =>
        {
            Assert.That(drain.Waited, Is.EqualTo(new[] { leaving.ContainerId }));
            Assert.That(_engine.Stopped, Is.EqualTo(new[] { leaving.ContainerId }));
            Assert.That(_engine.Removed, Is.EqualTo(new[] { leaving.ContainerId }));
            Assert.That(_journal.History("web-0").Single().State, Is.EqualTo("stopping"));
        });
    }

    [Test]
    public async Task ExecuteAsync_RemovalCalledOffWhileItDrains_NothingStoppedOrRemovedAndSaysSo()
    {
        var leaving = Replica(0, "old");
        var dead = Replica(1, "old", ready: false, running: false);
        using var specBack = new CancellationTokenSource();
        var run = Executor().ExecuteAsync("web", null, string.Empty, Plan(new RemoveReplica(dead, "deployment removed"), new RemoveReplica(leaving, "deployment removed")), Preparation.None, _clock.GetUtcNow(), CancellationToken.None, specBack.Token);

        await specBack.CancelAsync(); // the spec file is back, within the drain time
        var result = await run.WaitAsync(TestTimeouts.Short);

        Assert.Multiple(() =>
        {
            Assert.That(result.CalledOff, Is.True);
            Assert.That(_engine.Stopped, Is.Empty, "the serving replica is not stopped");
            Assert.That(_engine.Removed, Is.EqualTo(new[] { dead.ContainerId }), "an exited container still goes");
        });
    }

    [Test]
    public async Task ExecuteAsync_RemovalNotCalledOff_DrainsThenStopsAsBefore()
    {
        var leaving = Replica(0, "old");
        using var specBack = new CancellationTokenSource();
        var run = Executor().ExecuteAsync("web", null, string.Empty, Plan(new RemoveReplica(leaving, "deployment removed")), Preparation.None, _clock.GetUtcNow(), CancellationToken.None, specBack.Token);

        _clock.Advance(new ReconcilerOptions().DrainTime);
        var result = await run.WaitAsync(TestTimeouts.Short);

        Assert.Multiple(() =>
        {
            Assert.That(result.CalledOff, Is.False);
            Assert.That(_engine.Removed, Is.EqualTo(new[] { leaving.ContainerId }));
        });
    }

    [Test]
    public async Task ExecuteAsync_DeadReplica_RemovedWithoutStopOrDrain()
    {
        var drain = new CountingDrain();
        var dead = Replica(0, "h", ready: false, running: false);

        await Executor(drain).ExecuteAsync("web", Spec(), "h", Plan(new RemoveReplica(dead, "exited")), Preparation.None, _clock.GetUtcNow(), CancellationToken.None).WaitAsync(TestTimeouts.Short);

        Assert.Multiple(() =>
        {
            Assert.That(_engine.Stopped, Is.Empty);
            Assert.That(_engine.Removed, Is.EqualTo(new[] { dead.ContainerId }));
            Assert.That(drain.Waited, Is.Empty);
        });
    }

    [Test]
    public async Task ExecuteAsync_MoreCreatesThanEngineSlots_AtMostTheLimitInFlightAndAllStart()
    {
        _engine.CreateHold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var executor = new PlanExecutor(_engine, NoHooks.Instance, NoHooks.Instance, _journal, new ReconcilerOptions { EngineConcurrency = 2 }, _clock, NullLogger<PlanExecutor>.Instance);
        var plan = Plan([.. Enumerable.Range(0, 6).Select(i => new CreateReplica(i))]);

        var run = executor.ExecuteAsync("web", Spec(), "h", plan, Preparation.None, _clock.GetUtcNow(), CancellationToken.None);
        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(executor.EngineSlots.Held == 2 && executor.EngineSlots.Waiting == 4), TestTimeouts.Short, "2 creates in flight, 4 queued");
        Assert.That(_engine.Created, Has.Count.EqualTo(2), "the queued ones have not called the engine");
        _engine.CreateHold.SetResult();
        var result = await run.WaitAsync(TestTimeouts.Short);

        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Is.Null);
            Assert.That(_engine.Started, Has.Count.EqualTo(6));
            Assert.That(_engine.MostCreatesAtOnce, Is.EqualTo(2));
            Assert.That(executor.EngineSlots.Held, Is.Zero);
        });
    }

    [Test]
    public void Leaving_RunningRemovesAndStops_BothListedDeadOnesNot()
    {
        var plan = Plan(new RemoveReplica(Replica(0, "a"), "old"), new RemoveReplica(Replica(1, "a", running: false), "dead"), new StopReplica(Replica(2, "a"), "liveness"));

        Assert.That(PlanExecutor.Leaving(plan).Select(l => l.Replica.Index), Is.EqualTo(new[] { 0, 2 }));
    }

    private PlanExecutor Executor(IDrainWait? drain = null) =>
        new(_engine, NoHooks.Instance, drain ?? NoHooks.Instance, _journal, new ReconcilerOptions(), _clock, NullLogger<PlanExecutor>.Instance);

    private sealed class CountingDrain : IDrainWait
    {
        public List<string> Waited { get; } = [];

        public TimeSpan Timeout => TimeSpan.FromSeconds(1);

        public Task<long> WaitAsync(string slug, IReadOnlyList<ObservedReplica> leaving, DateTimeOffset leftRotationAt, CancellationToken cancellationToken)
        {
            Waited.AddRange(leaving.Select(r => r.ContainerId));
            return Task.FromResult(0L);
        }
    }
}
