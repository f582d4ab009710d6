// Over 300 lines: one fixture for the autoscaler service loop, sharing its fake clock, fake engine and traffic-file setup; the idle-proxy cases live in a partial file.
using GradientNode.Core.Autoscaling;
using GradientNode.Core.Engine;
using GradientNode.Core.Gpus;
using GradientNode.Core.Specs;
using GradientNode.Core.Status;
using GradientNode.Core.Traffic;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace GradientNode.Tests.Autoscaling;

[TestFixture]
[Category("Unit")]
internal sealed partial class AutoscalerServiceTests
{
    private SteppingTimeProvider _time = null!;
    private StatusStore _statuses = null!;
    private StatsOnlyEngine _engine = null!;
    private AutoscaleStore _store = null!;
    private List<DeploymentSpec> _specs = null!;
    private TrafficSnapshot? _traffic;
    private int _trafficReads;

    [SetUp]
    public void SetUp()
    {
        _time = new SteppingTimeProvider();
        _statuses = new StatusStore();
        _engine = new StatsOnlyEngine();
        _store = new AutoscaleStore();
        _specs = [];
        _traffic = null;
        _trafficReads = 0;
    }

    [Test]
    public async Task EvaluateOnce_NoDeploymentAutoscales_ReadsNoProxyFiguresAndNoStats()
    {
        _specs.AddRange(Enumerable.Range(0, 50).Select(i => AutoscaleStoreTests.Spec(replicas: 1, autoscaling: false) with { Slug = $"s{i}" }));
        var service = Service();

        for (var tick = 0; tick < 10; tick++)
        {
            await service.EvaluateOnceAsync(CancellationToken.None);
            _time.Advance(TimeSpan.FromSeconds(2));
        }

        Assert.That(_trafficReads, Is.Zero);
        Assert.That(_engine.StatsCalls, Is.Zero);
        Assert.That(_store.Slugs, Is.Empty);
    }

    [Test]
    public async Task EvaluateOnce_AutoscaledOnRequestDuration_ReadsProxyFiguresOncePerTick()
    {
        _specs.Add(AutoscaleStoreTests.Spec(replicas: 1, max: 3));
        _specs.AddRange(Enumerable.Range(0, 5).Select(i => AutoscaleStoreTests.Spec(replicas: 1, autoscaling: false) with { Slug = $"s{i}" }));
        SetReady("web", 1);

        await Service().EvaluateOnceAsync(CancellationToken.None);

        Assert.That(_trafficReads, Is.EqualTo(1));
    }

    [Test]
    public async Task EvaluateOnce_SlowRequestsAtProxy_ScalesUpAndWakesReconciler()
    {
        _specs.Add(AutoscaleStoreTests.Spec(replicas: 1, max: 3));
        SetReady("web", 1);
        _traffic = Traffic("web", Replica("web", 0, requests: 20, average: 0.6));
        var woken = new List<string>();
        _store.Changed += woken.Add;

        await Service().EvaluateOnceAsync(CancellationToken.None);

        Assert.That(_store.DesiredFor(_specs[0]), Is.EqualTo(3));
        Assert.That(woken, Is.EqualTo(new[] { "web" }));
        var status = _store.StatusOf(_specs[0])!;
        Assert.That(status.Panic, Is.True);
        Assert.That(status.Metrics.Single().Value, Is.EqualTo(0.6));
        Assert.That(status.LastScale!.Reason, Does.Contain("requestDuration 0.6 s above target 0.15 s"));
    }

    [Test]
    public async Task EvaluateOnce_NotReadyReplicasFigures_AreIgnored()
    {
        _specs.Add(AutoscaleStoreTests.Spec(replicas: 1, max: 3));
        SetReady("web", 2, notReady: [1]);
        _traffic = Traffic("web", Replica("web", 0, requests: 20, average: 0.15), Replica("web", 1, requests: 20, average: 5));

        await Service().EvaluateOnceAsync(CancellationToken.None);

        Assert.That(_store.DesiredFor(_specs[0]), Is.EqualTo(1));
        Assert.That(_store.StatusOf(_specs[0])!.Metrics.Single().Value, Is.EqualTo(0.15));
    }

    [Test]
    public async Task EvaluateOnce_StaleProxyFigures_HoldWithNote()
    {
        _specs.Add(AutoscaleStoreTests.Spec(replicas: 1, max: 3));
        SetReady("web", 1);
        _traffic = Traffic("web", Replica("web", 0, requests: 20, average: 3)) with { Written = _time.GetUtcNow().AddMinutes(-1) };

        await Service().EvaluateOnceAsync(CancellationToken.None);

        Assert.That(_store.DesiredFor(_specs[0]), Is.EqualTo(1));
        Assert.That(_store.StatusOf(_specs[0])!.Note, Does.Contain("no metric has data"));
    }

    [Test]
    public async Task EvaluateOnce_CpuAgainstMachineTypeLimit_ScalesOnCpu()
    {
        // C4 has 2 CPUs: one busy core is 50 % of the replica's limit; the target is 20 %.
        _specs.Add(AutoscaleStoreTests.Spec(replicas: 1, max: 4, metric: "cpu", value: "20"));
        SetReady("web", 1);
        _engine.Stats["container-0"] = new ContainerStats(_time.GetUtcNow(), 100, 10 << 20, 1L << 32, 8);

        await Service(hostCpus: 8).EvaluateOnceAsync(CancellationToken.None);

        var status = _store.StatusOf(_specs[0])!;
        Assert.That(status.Metrics.Single().Value, Is.EqualTo(50));
        Assert.That(status.DesiredReplicas, Is.EqualTo(3));
    }

    [Test]
    public async Task EvaluateOnce_CpuLoadSpreadOverNewReplicas_DoesNotScaleAgain()
    {
        // One replica burns one of its 2 CPUs (50 %, target 20 %): 3 replicas. Once they are ready, the same total
        // load over 3 replicas is ≈ 17 % each: no further scale-up, although the window still holds the 50 % samples.
        _specs.Add(AutoscaleStoreTests.Spec(replicas: 1, max: 10, metric: "cpu", value: "20"));
        SetReady("web", 1);
        _engine.Stats["container-0"] = new ContainerStats(_time.GetUtcNow(), 100, 10 << 20, 1L << 32, 8);
        var service = Service(hostCpus: 8);
        await service.EvaluateOnceAsync(CancellationToken.None);
        Assert.That(_store.DesiredFor(_specs[0]), Is.EqualTo(3));

        SetReady("web", 3);
        _engine.Stats["container-0"] = new ContainerStats(_time.GetUtcNow(), 34, 10 << 20, 1L << 32, 8);
        _engine.Stats["container-1"] = new ContainerStats(_time.GetUtcNow(), 33, 10 << 20, 1L << 32, 8);
        _engine.Stats["container-2"] = new ContainerStats(_time.GetUtcNow(), 33, 10 << 20, 1L << 32, 8);
        for (var i = 0; i < 10; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(2));
            await service.EvaluateOnceAsync(CancellationToken.None);
            Assert.That(_store.DesiredFor(_specs[0]), Is.EqualTo(3), _store.StatusOf(_specs[0])!.LastScale?.Reason);
        }
    }

    [Test]
    public async Task EvaluateOnce_MemoryMetric_RelativeToContainerLimit()
    {
        _specs.Add(AutoscaleStoreTests.Spec(replicas: 1, max: 4, metric: "memory", value: "80"));
        SetReady("web", 1);
        _engine.Stats["container-0"] = new ContainerStats(_time.GetUtcNow(), 0, 1L << 30, 4L << 30, 8);

        await Service().EvaluateOnceAsync(CancellationToken.None);

        Assert.That(_store.StatusOf(_specs[0])!.Metrics.Single().Value, Is.EqualTo(25));
    }

    [Test]
    public async Task EvaluateOnce_LoadStops_ScalesDownOnlyAfterStabilizationWindow()
    {
        _specs.Add(AutoscaleStoreTests.Spec(replicas: 1, max: 3));
        SetReady("web", 1);
        _traffic = Traffic("web", Replica("web", 0, requests: 20, average: 0.6));
        var service = Service(new AutoscalerOptions { ScaleDownStabilization = TimeSpan.FromSeconds(20) });
        await service.EvaluateOnceAsync(CancellationToken.None);
        Assert.That(_store.DesiredFor(_specs[0]), Is.EqualTo(3));

        SetReady("web", 3);
        var desired = new List<int>();
        for (var i = 0; i < 15; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(2));
            _traffic = Traffic("web");
            await service.EvaluateOnceAsync(CancellationToken.None);
            desired.Add(_store.DesiredFor(_specs[0]));
        }

        Assert.That(desired[..9], Is.All.EqualTo(3), "within 20 s of the last high recommendation");
        Assert.That(desired[^1], Is.EqualTo(1));
        Assert.That(_store.StatusOf(_specs[0])!.LastScale!.Reason, Does.Contain("highest recommendation of the last 20 s is 1"));
    }

    [Test]
    public async Task EvaluateOnce_AfterDaemonRestart_KeepsCountForAWholeWindow()
    {
        _specs.Add(AutoscaleStoreTests.Spec(replicas: 1, max: 3));
        _store.Set("web", new AutoscaleState(3));
        SetReady("web", 3);
        _traffic = Traffic("web");

        await Service().EvaluateOnceAsync(CancellationToken.None);

        Assert.That(_store.DesiredFor(_specs[0]), Is.EqualTo(3));
    }

    [Test]
    public async Task EvaluateOnce_AutoscalingRemovedFromSpec_ForgetsState()
    {
        _store.Set("web", new AutoscaleState(3));
        _specs.Add(AutoscaleStoreTests.Spec(replicas: 2, autoscaling: false));

        await Service().EvaluateOnceAsync(CancellationToken.None);

        Assert.That(_store.Get("web"), Is.Null);
        Assert.That(_store.DesiredFor(_specs[0]), Is.EqualTo(2));
    }

    [Test]
    public async Task EvaluateOnce_SpecAwayWhileItsReplicasStillServe_KeepsTheCountUntilTheStatusIsGone()
    {
        // Scaled to 3; then the spec file is away for a moment (RemovalGrace): the status still lists its replicas.
        _store.Set("web", new AutoscaleState(3));
        SetReady("web", 3);
        var service = Service();

        await service.EvaluateOnceAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(2));
        await service.EvaluateOnceAsync(CancellationToken.None);

        Assert.That(_store.Get("web")?.Desired, Is.EqualTo(3), "kept while the replicas serve");
        _specs.Add(AutoscaleStoreTests.Spec(replicas: 1, max: 3));
        Assert.That(_store.DesiredFor(_specs[0]), Is.EqualTo(3), "the spec back serves at the count it had, not its minimum");

        _specs.Clear();
        _statuses.Set("web", null);
        await service.EvaluateOnceAsync(CancellationToken.None);

        Assert.That(_store.Get("web"), Is.Null, "forgotten once the deployment is gone with its status");
    }

    [Test]
    public void RequestDuration_NoRequestsInWindow_IsIdleNotMissing()
    {
        var reading = AutoscalerService.RequestDuration("web", 0.15, [Instance("web", 0, ready: true)], Traffic("web"));

        Assert.That(reading.Stable, Is.EqualTo(0));
        Assert.That(reading.Panic, Is.EqualTo(0));
    }

    [Test]
    public void RequestDuration_LoadStoppedButFiveMinuteAverageHigh_IsIdle()
    {
        var quiet = Stats(0, null) with { Requests5m = 40, AverageDurationSeconds5m = 0.8 };
        var stats = Traffic("web", new ReplicaTraffic("web-0/container-0", quiet));

        var reading = AutoscalerService.RequestDuration("web", 0.15, [Instance("web", 0, ready: true)], stats);

        Assert.That(reading.Stable, Is.EqualTo(0));
    }

    [Test]
    public void RequestDuration_SlowRequestsStillInFlight_KeepsFiveMinuteAverage()
    {
        var busy = Stats(0, null) with { Requests5m = 40, AverageDurationSeconds5m = 0.8, InFlight = 3 };
        var stats = Traffic("web", new ReplicaTraffic("web-0/container-0", busy));

        var reading = AutoscalerService.RequestDuration("web", 0.15, [Instance("web", 0, ready: true)], stats);

        Assert.That(reading.Stable, Is.EqualTo(0.8));
    }

    [Test]
    public void RequestDuration_FewerRequestsThanMinimum_IsNoData()
    {
        var stats = Traffic("web", Replica("web", 0, requests: 1, average: 0.4));

        var reading = AutoscalerService.RequestDuration("web", 0.1, [Instance("web", 0, ready: true)], stats, minRequests: 5);

        Assert.That(reading.Stable, Is.Null);
        Assert.That(reading.Panic, Is.Null);
    }

    [Test]
    public async Task EvaluateOnce_OneSlowRequestOnIdleDeployment_DoesNotScale()
    {
        _specs.Add(AutoscaleStoreTests.Spec(replicas: 1, max: 3));
        SetReady("web", 1);
        _traffic = Traffic("web", Replica("web", 0, requests: 1, average: 0.9));

        await Service().EvaluateOnceAsync(CancellationToken.None);

        Assert.That(_store.DesiredFor(_specs[0]), Is.EqualTo(1));
    }

    [Test]
    public void RequestDuration_SeveralReplicas_WeightsByRequestCount()
    {
        var stats = Traffic("web", Replica("web", 0, requests: 30, average: 0.1), Replica("web", 1, requests: 10, average: 0.5));

        var reading = AutoscalerService.RequestDuration("web", 0.15, [Instance("web", 0, ready: true), Instance("web", 1, ready: true)], stats);

        Assert.That(reading.Stable, Is.EqualTo(0.2).Within(1e-9));
    }

    private AutoscalerService Service(AutoscalerOptions? options = null, int hostCpus = 2) => new(
        () => _specs,
        _statuses,
        _engine,
        () =>
        {
            _trafficReads++;
            return _traffic;
        },
        MachineTypeTable.BuiltIn,
        _store,
        options ?? new AutoscalerOptions(),
        _time,
        NullLogger<AutoscalerService>.Instance,
        hostCpus);

    private void SetReady(string slug, int count, int[]? notReady = null) => _statuses.Set(slug, new DeploymentStatus
    {
        Name = slug,
        Slug = slug,
        State = DeploymentState.Ready,
        Replicas = [.. Enumerable.Range(0, count).Select(i => Instance(slug, i, ready: notReady?.Contains(i) != true))],
    });

    private static ReplicaStatus Instance(string slug, int index, bool ready) => new()
    {
        Id = $"{slug}-{index}",
        Index = index,
        Container = $"gradient-{slug}-{index}",
        ContainerId = $"container-{index}",
        State = "running",
        Ready = ready,
        SpecHash = "h",
    };

    private TrafficSnapshot Traffic(string slug, params ReplicaTraffic[] replicas) =>
        new(_time.GetUtcNow(), [], [new DeploymentTraffic(slug, Stats(0, null), Stats(0, null), replicas)]);

    private static ReplicaTraffic Replica(string slug, int index, long requests, double average) =>
        new($"{slug}-{index}/container-{index}", Stats(requests, average));

    private static TrafficCounters Stats(long requests, double? average) =>
        new(requests, 0, requests, 0, 0, 0, 0, (average ?? 0) * requests, [], requests, requests, average, average)
        {
            Requests10s = requests,
            AverageDurationSeconds10s = average,
        };
}
