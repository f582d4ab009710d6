using GradientNode.Core.Autoscaling;
using GradientNode.Core.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Autoscaling;

[TestFixture]
[Category("Unit")]
internal sealed class AutoscaleDeciderTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly AutoscalerOptions Options = new();

    [TestCase(0.30, 2, 4)]
    [TestCase(0.20, 1, 2)]
    [TestCase(0.17, 4, 5)]
    [TestCase(0.25, 3, 5)]
    public void Decide_AboveTarget_ProposesCeilOfReadyTimesRatio(double value, int ready, int expected)
    {
        var decision = Decide(Input(current: ready, ready: ready, max: 10, Duration(0.15, value)));

        Assert.That(decision.Recommendation, Is.EqualTo(expected));
        Assert.That(decision.Desired, Is.EqualTo(expected));
        Assert.That(decision.Event?.Reason, Does.Contain("requestDuration").And.Contain("above target 0.15 s"));
    }

    [TestCase(0.109)]
    [TestCase(0.091)]
    [TestCase(0.100)]
    public void Decide_WithinTenPercentTolerance_KeepsCurrentCount(double value)
    {
        var decision = Decide(Input(current: 3, ready: 3, max: 10, Duration(0.1, value)));

        Assert.That(decision.Recommendation, Is.EqualTo(3));
        Assert.That(decision.Desired, Is.EqualTo(3));
        Assert.That(decision.Event, Is.Null);
    }

    [Test]
    public void Decide_JustOutsideTolerance_Scales()
    {
        var decision = Decide(Input(current: 3, ready: 3, max: 10, Duration(0.1, 0.111)));

        Assert.That(decision.Desired, Is.EqualTo(4));
    }

    [Test]
    public void Decide_RecommendationAboveMax_IsBoundedByMaxReplicas()
    {
        var decision = Decide(Input(current: 2, ready: 2, max: 3, Cpu(50, 400)));

        Assert.That(decision.Recommendation, Is.EqualTo(3));
        Assert.That(decision.Desired, Is.EqualTo(3));
    }

    [Test]
    public void Decide_NoLoad_RecommendsMinimumButWaitsForStabilizationWindow()
    {
        var history = new[] { new Recommendation(Start.AddMinutes(-4), 4) };
        var decision = Decide(Input(current: 4, ready: 4, max: 10, Duration(0.15, 0)) with { History = history, Min = 1 });

        Assert.That(decision.Recommendation, Is.EqualTo(1));
        Assert.That(decision.Desired, Is.EqualTo(4), "a recommendation of 4 is still in the 5-minute window");
        Assert.That(decision.Event, Is.Null);
    }

    [Test]
    public void Decide_RequestDurationIdleAfterTheWindow_ReasonSaysIdle()
    {
        var history = new[] { new Recommendation(Start.AddMinutes(-6), 3) };
        var decision = Decide(Input(current: 3, ready: 3, max: 3, Duration(0.2, 0)) with { History = history, Min = 1 });

        // Before: "requestDuration 0 s below target 0.2 s", beside a Traffic line whose 5-minute average was 0.5 s.
        Assert.That(decision.Event!.Reason, Does.StartWith("requestDuration 0 s (idle: no request completed in the last 10 s and none in flight) below target 0.2 s: proposes 0"));
    }

    [Test]
    public void Decide_WindowPassed_ScalesDownToHighestRecommendationInWindow()
    {
        var history = new[]
        {
            new Recommendation(Start.AddMinutes(-6), 4),
            new Recommendation(Start.AddMinutes(-3), 2),
            new Recommendation(Start.AddMinutes(-1), 1),
        };
        var decision = Decide(Input(current: 4, ready: 4, max: 10, Duration(0.15, 0)) with { History = history });

        Assert.That(decision.Desired, Is.EqualTo(2));
        Assert.That(decision.Event!.From, Is.EqualTo(4));
        Assert.That(decision.Event.To, Is.EqualTo(2));
        Assert.That(decision.Event.Reason, Does.Contain("highest recommendation of the last 5 min is 2"));
        Assert.That(decision.History.Select(h => h.Replicas), Is.EqualTo(new[] { 2, 1, 1 }), "the 6-minute-old entry left the window");
    }

    [Test]
    public void Decide_ShortStabilizationWindow_ScalesDownSooner()
    {
        var options = Options with { ScaleDownStabilization = TimeSpan.FromSeconds(20) };
        var history = new[] { new Recommendation(Start.AddSeconds(-25), 3) };
        var decision = AutoscaleDecider.Decide(Input(current: 3, ready: 3, max: 5, Cpu(50, 5)) with { History = history }, options);

        Assert.That(decision.Desired, Is.EqualTo(1));
    }

    [Test]
    public void Decide_ScaleUp_AtMostDoublesOrAddsFour()
    {
        var decision = Decide(Input(current: 8, ready: 8, max: 100, Cpu(10, 100)));

        Assert.That(decision.Recommendation, Is.EqualTo(80));
        Assert.That(decision.Desired, Is.EqualTo(16), "×2 beats +4 at 8 replicas");
        Assert.That(decision.Event!.Reason, Does.Contain("limited to 16"));
    }

    [Test]
    public void Decide_ScaleUpFromOne_AddsFour()
    {
        var decision = Decide(Input(current: 1, ready: 1, max: 100, Cpu(10, 100)));

        Assert.That(decision.Desired, Is.EqualTo(5));
    }

    [Test]
    public void Decide_SecondScaleUpWithinPeriod_CountsFromCountBeforeFirst()
    {
        var events = new[] { new ScaleEvent(Start.AddSeconds(-5), 1, 5, "earlier") };
        var decision = Decide(Input(current: 5, ready: 5, max: 100, Cpu(10, 100)) with { Events = events });

        Assert.That(decision.Desired, Is.EqualTo(5), "1 → 5 already used this 15 s period's allowance");
        Assert.That(decision.Event, Is.Null);
    }

    [Test]
    public void Decide_ScaleUpAfterPeriod_MayDoubleAgain()
    {
        var events = new[] { new ScaleEvent(Start.AddSeconds(-16), 1, 5, "earlier") };
        var decision = Decide(Input(current: 5, ready: 5, max: 100, Cpu(10, 100)) with { Events = events });

        Assert.That(decision.Desired, Is.EqualTo(10));
    }

    [Test]
    public void Decide_SeveralMetrics_HighestProposalWins()
    {
        var decision = Decide(Input(current: 2, ready: 2, max: 10, Cpu(50, 60), Memory(50, 150), Duration(0.2, 0.1)));

        Assert.That(decision.Proposals.Select(p => p.Replicas), Is.EqualTo(new int?[] { 3, 6, 1 }));
        Assert.That(decision.Recommendation, Is.EqualTo(6));
        Assert.That(decision.Desired, Is.EqualTo(6));
        Assert.That(decision.Event!.Reason, Does.StartWith("memory 150 % above target 50 %"));
    }

    [Test]
    public void Decide_MetricWithoutData_IsLeftOut()
    {
        var decision = Decide(Input(current: 2, ready: 2, max: 10, Cpu(50, null), Duration(0.2, 0.4)));

        Assert.That(decision.Proposals[0].Replicas, Is.Null);
        Assert.That(decision.Desired, Is.EqualTo(4));
    }

    [Test]
    public void Decide_NoMetricHasData_HoldsWithNote()
    {
        var decision = Decide(Input(current: 3, ready: 3, max: 10, Cpu(50, null)));

        Assert.That(decision.Desired, Is.EqualTo(3));
        Assert.That(decision.Note, Does.Contain("no metric has data"));
    }

    [Test]
    public void Decide_NoReadyReplica_HoldsWithNote()
    {
        var decision = Decide(Input(current: 2, ready: 0, max: 10, Cpu(50, 500)));

        Assert.That(decision.Desired, Is.EqualTo(2));
        Assert.That(decision.Note, Does.Contain("no ready replica"));
    }

    [Test]
    public void Decide_StartingReplicasDoNotCount_NoRunawayWhileTheyStart()
    {
        // 1 ready replica at 3× the target wants 3; two more are already starting (current 3): nothing more.
        var decision = Decide(Input(current: 3, ready: 1, max: 10, Duration(0.1, 0.3)));

        Assert.That(decision.Recommendation, Is.EqualTo(3));
        Assert.That(decision.Desired, Is.EqualTo(3));
    }

    [Test]
    public void Decide_ShortWindowTwiceTarget_PanicModeDecidesOnShortWindow()
    {
        // The 5-minute average is still near the target, the last 10 s are 4× it.
        var decision = Decide(Input(current: 1, ready: 1, max: 10, new MetricReading(AutoscalingMetric.RequestDuration, 0.1, 0.105, 0.4)));

        Assert.That(decision.Panic, Is.True);
        Assert.That(decision.Proposals[0].Value, Is.EqualTo(0.4));
        Assert.That(decision.Desired, Is.EqualTo(4));
        Assert.That(decision.Event!.Reason, Does.Contain("panic"));
    }

    [Test]
    public void Decide_ShortWindowBelowTwiceTarget_UsesStableWindow()
    {
        var decision = Decide(Input(current: 1, ready: 1, max: 10, new MetricReading(AutoscalingMetric.RequestDuration, 0.1, 0.105, 0.19)));

        Assert.That(decision.Panic, Is.False);
        Assert.That(decision.Desired, Is.EqualTo(1));
    }

    [Test]
    public void Decide_StableWindowStillHighAfterScaleUp_ShortWindowCapsTheScaleUp()
    {
        // Three replicas ready now; the 5-minute average still holds the slow minutes of one replica (0.3 s), the last
        // 10 s are at the target: no further scale-up.
        var decision = Decide(Input(current: 3, ready: 3, max: 10, new MetricReading(AutoscalingMetric.RequestDuration, 0.15, 0.28, 0.15)));

        Assert.That(decision.Proposals[0].Replicas, Is.EqualTo(3));
        Assert.That(decision.Desired, Is.EqualTo(3));
    }

    [Test]
    public void Decide_ShortWindowHigherThanStable_StableDecidesBelowPanic()
    {
        var decision = Decide(Input(current: 2, ready: 2, max: 10, new MetricReading(AutoscalingMetric.RequestDuration, 0.1, 0.15, 0.19)));

        Assert.That(decision.Desired, Is.EqualTo(3));
    }

    [Test]
    public void Decide_Panic_NeverProposesFewerThanCurrent()
    {
        // Two replicas ready of four; the short window is 2× the target: ceil(2 × 2) = 4, never below current.
        var decision = Decide(Input(current: 6, ready: 2, max: 10, new MetricReading(AutoscalingMetric.Cpu, 50, 20, 100)));

        Assert.That(decision.Proposals[0].Replicas, Is.EqualTo(6));
        Assert.That(decision.Desired, Is.EqualTo(6));
    }

    [Test]
    public void Decide_CurrentOutsideNewBounds_ClampsWithBoundsReason()
    {
        var decision = Decide(Input(current: 7, ready: 7, max: 5, Cpu(50, 50)));

        Assert.That(decision.Desired, Is.EqualTo(5));
        Assert.That(decision.Event!.From, Is.EqualTo(7));
        Assert.That(decision.Event.Reason, Does.Contain("bounds changed"));
    }

    [Test]
    public void Decide_OnFakeClock_ScalesUpAtOnceAndDownAfterWindow()
    {
        var options = Options with { ScaleDownStabilization = TimeSpan.FromSeconds(20) };
        var now = Start;
        var state = (Desired: 1, History: (IReadOnlyList<Recommendation>)[], Events: (IReadOnlyList<ScaleEvent>)[]);
        var trace = new List<int>();
        for (var second = 0; second <= 60; second += 2)
        {
            // Load above the target for the first 20 s, then none.
            var load = second < 20 ? 0.3 : 0;
            var decision = AutoscaleDecider.Decide(
                new AutoscaleInput(1, 3, state.Desired, state.Desired, [Duration(0.15, load)], state.History, state.Events, now.AddSeconds(second)),
                options);
            state = (decision.Desired, decision.History, decision.Event is { } e ? [.. state.Events, e] : state.Events);
            trace.Add(decision.Desired);
        }

        Assert.That(trace[0], Is.EqualTo(2), "scale-up acts on the first evaluation");
        Assert.That(trace[1], Is.EqualTo(3));
        Assert.That(trace[10..19], Is.All.EqualTo(3), "held through the 20 s window after the load stopped at 20 s");
        Assert.That(trace[^1], Is.EqualTo(1));
    }

    private static AutoscaleDecision Decide(AutoscaleInput input) => AutoscaleDecider.Decide(input, Options);

    private static AutoscaleInput Input(int current, int ready, int max, params MetricReading[] readings) =>
        new(1, max, current, ready, readings, [], [], Start);

    private static MetricReading Duration(double target, double? value) => new(AutoscalingMetric.RequestDuration, target, value, value);

    private static MetricReading Cpu(double target, double? value) => new(AutoscalingMetric.Cpu, target, value, value);

    private static MetricReading Memory(double target, double? value) => new(AutoscalingMetric.Memory, target, value, value);
}
