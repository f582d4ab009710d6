using GradientNode.Core.Autoscaling;
using GradientNode.Core.Common;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using GradientNode.Core.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Autoscaling;

[TestFixture]
[Category("Unit")]
internal sealed class AutoscaleStoreTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("gn-autoscale-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Constructor_DamagedFile_KeptAsideNamedInAWarningAndNothingSaved()
    {
        var path = Path.Combine(_dir, AutoscaleStore.FileName);
        File.WriteAllText(path, "{\"web\": {\"desired\": 4, \"ev");
        var logger = new CollectingLogger<AutoscaleStore>();

        var store = new AutoscaleStore(_dir, new StateFileDamage(new FakeTimeProvider(Start), logger));

        // Before: read as "nothing saved" without a word, and the next save overwrote it.
        Assert.Multiple(() =>
        {
            Assert.That(store.Slugs, Is.Empty);
            Assert.That(File.Exists(path + ".damaged-20260101T120000Z"), Is.True);
            Assert.That(logger.Events.Select(e => e.Id.Id), Is.EqualTo(new[] { 1402 }));
            Assert.That(logger.Events[0].Message, Does.Contain($"state file {path} was damaged (it ends early").And.Contain("every autoscaled deployment starts again at its resources.replicas"));
        });
    }

    [Test]
    public void DesiredFor_NoAutoscaling_IsReplicas()
    {
        var store = new AutoscaleStore();

        Assert.That(store.DesiredFor(Spec(replicas: 2, autoscaling: false)), Is.EqualTo(2));
        Assert.That(store.StatusOf(Spec(replicas: 2, autoscaling: false)), Is.Null);
    }

    [Test]
    public void DesiredFor_NotEvaluatedYet_IsMinimum()
    {
        Assert.That(new AutoscaleStore().DesiredFor(Spec(replicas: 2)), Is.EqualTo(2));
    }

    [Test]
    public void DesiredFor_StateOutsideBounds_IsClampedToSpec()
    {
        var store = new AutoscaleStore();
        store.Set("web", new AutoscaleState(9));

        Assert.That(store.DesiredFor(Spec(replicas: 1, max: 3)), Is.EqualTo(3));
    }

    [Test]
    public void Set_DesiredChanged_RaisesChangedOnce()
    {
        var store = new AutoscaleStore();
        var changed = new List<string>();
        store.Changed += changed.Add;

        store.Set("web", new AutoscaleState(2));
        store.Set("web", new AutoscaleState(2) { EvaluatedAt = Start });
        store.Set("web", new AutoscaleState(3));

        Assert.That(changed, Is.EqualTo(new[] { "web", "web" }));
    }

    [Test]
    public void Constructor_AfterRestart_KeepsDesiredCountAndEventsIn0600File()
    {
        var first = new AutoscaleStore(_dir);
        first.Set("web", new AutoscaleState(3) { Events = [new ScaleEvent(Start, 1, 3, "cpu 90 % above target 40 %")] });

        var second = new AutoscaleStore(_dir);

        Assert.That(second.DesiredFor(Spec(replicas: 1, max: 5)), Is.EqualTo(3));
        Assert.That(second.StatusOf(Spec(replicas: 1, max: 5))!.LastScale!.Reason, Does.Contain("cpu 90 %"));
        Assert.That(File.GetUnixFileMode(Path.Combine(_dir, AutoscaleStore.FileName)), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }

    [Test]
    public void Constructor_CorruptFile_StartsEmpty()
    {
        File.WriteAllText(Path.Combine(_dir, AutoscaleStore.FileName), "{ not json");

        Assert.That(new AutoscaleStore(_dir).DesiredFor(Spec(replicas: 2)), Is.EqualTo(2));
    }

    [Test]
    public void Forget_StoredDeployment_RemovesStateAndRaisesChanged()
    {
        var store = new AutoscaleStore(_dir);
        store.Set("web", new AutoscaleState(3));
        var changed = new List<string>();
        store.Changed += changed.Add;

        store.Forget("web");

        Assert.That(store.Get("web"), Is.Null);
        Assert.That(changed, Is.EqualTo(new[] { "web" }));
        Assert.That(new AutoscaleStore(_dir).Get("web"), Is.Null);
    }

    [Test]
    public void StatusOf_AfterDecision_ShowsMetricsRecommendationAndNote()
    {
        var store = new AutoscaleStore();
        var readings = new[] { new MetricReading(AutoscalingMetric.Cpu, 50, 80.123456, 95) };
        var decision = AutoscaleDecider.Decide(new AutoscaleInput(1, 5, 1, 1, readings, [], [], Start), new AutoscalerOptions());
        store.Set("web", new AutoscaleState(decision.Desired) { LastDecision = decision, Readings = readings, EvaluatedAt = Start, Events = [decision.Event!] });

        var status = store.StatusOf(Spec(replicas: 1, max: 5, metric: "cpu", value: "50"))!;

        Assert.That(status.DesiredReplicas, Is.EqualTo(2));
        Assert.That(status.Recommendation, Is.EqualTo(2));
        Assert.That(status.Metrics.Single().Metric, Is.EqualTo("cpu"));
        Assert.That(status.Metrics.Single().Value, Is.EqualTo(80.1235));
        Assert.That(status.Metrics.Single().ShortWindowValue, Is.EqualTo(95));
        Assert.That(status.Metrics.Single().Proposal, Is.EqualTo(2));
        Assert.That(status.LastScale!.To, Is.EqualTo(2));
        Assert.That(status.EvaluatedAt, Is.EqualTo(Start));
    }

    [Test]
    public void StatusOf_SeveralScales_ListsThemOldestFirstWithTheLastAsLastScale()
    {
        var store = new AutoscaleStore();
        ScaleEvent[] events =
        [
            new(Start, 1, 3, "cpu 95 % above target 50 %: proposes 3"),
            new(Start.AddMinutes(6), 3, 2, "highest recommendation of the last 300 s is 2"),
            new(Start.AddMinutes(12), 2, 1, "highest recommendation of the last 300 s is 1"),
        ];
        store.Set("web", new AutoscaleState(1) { Events = events });

        var status = store.StatusOf(Spec(replicas: 1, max: 5, metric: "cpu", value: "50"))!;

        Assert.That(status.Scales.Select(s => (s.At, s.From, s.To, s.Reason)), Is.EqualTo(events.Select(e => (e.At, e.From, e.To, e.Reason))));
        Assert.That(status.LastScale, Is.EqualTo(status.Scales[^1]));
    }

    [Test]
    public void StatusOf_NotEvaluatedYet_NoScales()
    {
        Assert.That(new AutoscaleStore().StatusOf(Spec(replicas: 1))!.Scales, Is.Empty);
    }

    internal static DeploymentSpec Spec(int replicas, int max = 3, bool autoscaling = true, string metric = "requestDuration", string value = "0.15")
    {
        var yaml = $"""
            image: gradient-test/web:1
            port: 8080
            resources:
              replicas: {replicas}
              instanceType: C4
              autoscaling:
                enabled: {(autoscaling ? "true" : "false")}
                maxReplicas: {max}
                metrics:
                  - metric: {metric}
                    summary: average
                    value: {value}
            """;
        var result = SpecParser.Parse("/specs/web.yaml", yaml);
        return result.Spec ?? throw new InvalidOperationException(string.Join("\n", result.Errors));
    }
}
