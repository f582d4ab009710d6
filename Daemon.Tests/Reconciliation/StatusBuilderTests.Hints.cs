using GradientNode.Core.Health;
using GradientNode.Core.Reconciliation;
using GradientNode.Core.Status;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

/// <summary>A probe's hint goes with that probe's own message, never with another probe's.</summary>
internal sealed partial class StatusBuilderTests
{
    private const string PortHint = "nothing listens on the probe's port; check healthChecks port (default: the first app port)";

    [Test]
    public void Build_ExecLivenessTimesOutWhileReadinessPortRefuses_LivenessMessageWithoutThePortHint()
    {
        var health = new HealthSnapshot(
            ReplicaHealth.MustRestart,
            HasReadinessProbe: true,
            RestartReason: "liveness probe failed 2 times in a row: 'sleep 10' timed out after 2 s",
            Startup: null,
            Readiness: new ProbeStatus { LastResult = "connectionRefused", LastMessage = "connection refused on 10.0.0.2:9191", Hint = PortHint },
            Liveness: new ProbeStatus { LastResult = "timeout", LastMessage = "'sleep 10' timed out after 2 s" });
        var sick = Live(0, Hash, ready: false) with { Health = health };

        var status = StatusBuilder.Build(Input(Entry(Spec), new DesiredReplicas(1, Hash), [sick]));

        Assert.Multiple(() =>
        {
            Assert.That(status.Message, Is.EqualTo("0/1 ready: replica 0: liveness probe failed 2 times in a row: 'sleep 10' timed out after 2 s"));
            Assert.That(status.Replicas[0].StateMessage, Does.Not.Contain("probe's port"));
        });
    }

    [Test]
    public void Build_ReadinessPortRefuses_ReadinessMessageKeepsItsHint()
    {
        var health = new HealthSnapshot(
            ReplicaHealth.NotReady,
            HasReadinessProbe: true,
            RestartReason: null,
            Startup: null,
            Readiness: new ProbeStatus { LastResult = "connectionRefused", LastMessage = "connection refused on 10.0.0.2:9191", Hint = PortHint, ConsecutiveFailures = 3 },
            Liveness: null);
        var deaf = Live(0, Hash, ready: false) with { Health = health };

        var status = StatusBuilder.Build(Input(Entry(Spec), new DesiredReplicas(1, Hash), [deaf]));

        Assert.That(status.Replicas[0].StateMessage, Is.EqualTo($"readiness probe: connection refused on 10.0.0.2:9191 ({PortHint})"));
    }
}
