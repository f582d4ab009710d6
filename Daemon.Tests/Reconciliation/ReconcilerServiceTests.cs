using GradientNode.Core.Catalog;
using GradientNode.Core.Engine;
using GradientNode.Core.Reconciliation;
using GradientNode.Core.Registries;
using GradientNode.Core.Secrets;
using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

[TestFixture]
[Category("Unit")]
internal sealed partial class ReconcilerServiceTests
{
    private const string Image = "registry.example:5000/ns/hello:1";
    private string _dir = string.Empty;

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("gn-recsvc-").FullName;
        Directory.CreateDirectory(Path.Combine(_dir, "specs"));
        File.WriteAllText(Path.Combine(_dir, "specs", "hello.yaml"), $"""
            name: hello
            image: {Image}
            resources:
              machineType: C4
              ports: [8080]
              replicas: 1
            """);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public async Task ExecuteAsync_ReconcileThrowsUnauthorizedAccess_StatusFailedFirstPassCompletesAndWorkerRecovers()
    {
        var clock = new FakeTimeProvider();
        var engine = new ScriptedPullEngine { ListFault = new UnauthorizedAccessException("Access to the path '/var/lib/gradient/x.json' is denied.") };
        var (service, statuses) = Service(engine, clock);
        await WhileRunningAsync(service, async () =>
        {
            await service.FirstPass.WaitAsync(TestTimeouts.Short);
            await TestTimeouts.WaitUntilAsync(() => statuses.Get("hello")?.State == DeploymentState.Failed, "a Failed status");
            var failed = statuses.Get("hello")!;
            // The first scan and the startup resync may both ask for a pass, so the status can already show a second attempt
            // (4s); the doubling itself is pinned by FailureBackoffTests.
            Assert.That(failed.Message, Does.Match(@"^reconcile failed \(UnauthorizedAccessException: Access to the path '/var/lib/gradient/x\.json' is denied\.\); retrying in [24]s"));

            engine.ListFault = null;
            await TestTimeouts.WaitUntilAsync(
                () =>
                {
                    clock.Advance(TimeSpan.FromSeconds(1)); // the retry waits on the fake clock
                    return engine.Created > 0 && statuses.Get("hello")?.State != DeploymentState.Failed;
                },
                "the same worker to reconcile again once the fault is gone");
        });
    }

    [Test]
    public async Task SinceResync_WallClockStepsForwardAnHour_StillTheTimeThatPassed()
    {
        // The systemd watchdog asks it (RoleRunner.Alive). Before, a wall-clock instant compared with the wall clock: a step
        // forward of half a minute or more read as a stuck loop and systemd killed the healthy daemon.
        var clock = new SteppingTimeProvider();
        var engine = new ScriptedPullEngine();
        engine.AddImage(Image);
        var (service, _) = Service(engine, clock);
        Assert.That(service.SinceResync, Is.Null, "no resync yet");
        await WhileRunningAsync(service, async () =>
        {
            await service.FirstPass.WaitAsync(TestTimeouts.Short);
            await TestTimeouts.WaitUntilAsync(() => service.SinceResync is not null, "the first resync");

            clock.Step(TimeSpan.FromHours(1));
            clock.Advance(TimeSpan.FromMilliseconds(1)); // too little for the next resync

            Assert.That(service.SinceResync, Is.LessThan(TimeSpan.FromSeconds(1)));
        });
    }

    [Test]
    public async Task FirstPass_ImagePullHangs_CompletesWhileThePullRuns()
    {
        var clock = new FakeTimeProvider();
        var engine = new ScriptedPullEngine { PullGate = new TaskCompletionSource() };
        var (service, statuses) = Service(engine, clock);
        await WhileRunningAsync(service, async () =>
        {
            await service.FirstPass.WaitAsync(TestTimeouts.Short);
            await engine.PullStarted.Task.WaitAsync(TestTimeouts.Short);

            Assert.That(engine.PullGate.Task.IsCompleted, Is.False, "ready while the pull still hangs");
            await TestTimeouts.WaitUntilAsync(() => statuses.Get("hello")?.Pull is not null, "status.pull while pulling");
        });
    }

    [Test]
    public async Task Enqueue_BeforeTheFirstSpecScan_LeavesTheRunningReplicaAlone()
    {
        // On a daemon restart the autoscaler's saved counts (or a probe, or an engine event) can ask for a deployment
        // before the spec directory was read; that pass saw no spec ("deployment removed") and removed its running replicas.
        var clock = new FakeTimeProvider();
        var engine = new ScriptedPullEngine();
        engine.AddImage(Image);
        engine.Listed.Add(new ContainerSummary(
            "running-0",
            "gradient-hello-0-abcdef",
            Image,
            new Dictionary<string, string>
            {
                [ContainerLabels.Node] = "default",
                [ContainerLabels.Deployment] = "hello",
                [ContainerLabels.Replica] = "0",
                [ContainerLabels.SpecHash] = "an-older-version",
            },
            "running",
            "Up 5 minutes",
            clock.GetUtcNow()));
        var (service, statuses) = Service(engine, clock);

        service.Enqueue("hello");
        await WhileRunningAsync(service, async () =>
        {
            await service.FirstPass.WaitAsync(TestTimeouts.Short);
            await TestTimeouts.WaitUntilAsync(
                () =>
                {
                    clock.Advance(TimeSpan.FromSeconds(1)); // past the drain's hand-over, should a removal have started
                    return statuses.Get("hello")?.SpecFile is not null;
                },
                "the status of the spec");

            Assert.That(engine.Removals, Is.Zero, $"the running replica was stopped or removed; status: {statuses.Get("hello")?.Message}");
            Assert.That(statuses.Get("hello")!.Message, Does.Not.Contain("removed"));
        });
    }

    /// <summary>Starts <paramref name="service"/>, runs <paramref name="body"/> while it runs, and stops it however the body ended.</summary>
    private static async Task WhileRunningAsync(ReconcilerService service, Func<Task> body)
    {
        using var stop = new CancellationTokenSource();
        await service.StartAsync(stop.Token);
        try
        {
            await body();
        }
        finally
        {
            await stop.CancelAsync();
            await service.StopAsync(CancellationToken.None);
        }
    }

    private (ReconcilerService Service, StatusStore Statuses) Service(ScriptedPullEngine engine, TimeProvider clock, ILogger<ReconcilerService>? logger = null, NodeStopStore? stops = null, ReplicaJournal? journal = null)
    {
        var options = new ReconcilerOptions();
        var state = Path.Combine(_dir, "state");
        Directory.CreateDirectory(state);
        var observer = new ReplicaObserver(engine, options);
        var reconciler = TestReconcilers.Create(engine, clock, state, journal, secrets: TestReconcilers.Snapshots(state), registries: new RegistryStore(state), options: options);
        var specs = new SpecDirectoryWatcher(Path.Combine(_dir, "specs"), state, clock, NullLogger<SpecDirectoryWatcher>.Instance);
        var statuses = new StatusStore();
        return (new ReconcilerService(specs, reconciler, observer, engine, statuses, options, clock, logger ?? NullLogger<ReconcilerService>.Instance, stops: stops), statuses);
    }
}
