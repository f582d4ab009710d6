using GradientNode.Core.Status;
using GradientNode.Core.Traffic;
using NUnit.Framework;

namespace GradientNode.Tests.Status;

/// <summary>The proxy's passive health folded into a status (faults11: <c>Ready 2/2 … as last seen</c> while the proxy had both out).</summary>
[TestFixture]
[Category("Unit")]
internal sealed class RotationOverlayTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 6, 0, 0, TimeSpan.Zero);
    private static readonly TrafficCounters None = new(0, 0, 0, 0, 0, 0, 0, 0, [], 0, 0, null, null);

    [Test]
    public void Apply_EngineUnreachableAndTheProxyTookBothReplicasOut_DegradedNoneReadyAndTheMessageNamesThem()
    {
        var status = Status(engineUnreachable: true);
        var traffic = Traffic(Out("web-0/aaaaaaaaaaaa", Now.AddSeconds(-30)), Out("web-1/bbbbbbbbbbbb", Now.AddSeconds(-20)));

        var shown = RotationOverlay.Apply(status, traffic, Now);

        Assert.Multiple(() =>
        {
            Assert.That((shown.State, shown.ReadyReplicas, shown.DesiredReplicas), Is.EqualTo((DeploymentState.Degraded, 0, 2)));
            Assert.That(shown.Replicas.Select(r => r.Ready), Is.All.False);
            Assert.That(shown.Replicas.Select(r => r.OutOfRotation?.Reason), Is.All.EqualTo("Connection refused (10.0.0.2:8080)"));
            Assert.That(shown.Message, Is.EqualTo(status.Message
                + "; the proxy has taken web-0, web-1 out of rotation since 2026-12-07T05:59:30Z: they do not accept connections (Connection refused (10.0.0.2:8080))"));
            Assert.That(shown.Replicas[0].StateMessage, Does.StartWith("the proxy took it out of rotation at 2026-12-07T05:59:30Z"));
        });
    }

    [Test]
    public void Apply_EngineUnreachableAndOneOfTwoOut_OneReadyStillReady()
    {
        var shown = RotationOverlay.Apply(Status(engineUnreachable: true), Traffic(Out("web-1/bbbbbbbbbbbb", Now.AddSeconds(-5)), In("web-0/aaaaaaaaaaaa")), Now);

        Assert.Multiple(() =>
        {
            Assert.That((shown.State, shown.ReadyReplicas), Is.EqualTo((DeploymentState.Degraded, 1)));
            Assert.That(shown.Replicas.Select(r => r.Ready), Is.EqualTo(new[] { true, false }));
            Assert.That(shown.Message, Does.EndWith("; the proxy has taken web-1 out of rotation since 2026-12-07T05:59:55Z: it does not accept connections (Connection refused (10.0.0.2:8080))"));
        });
    }

    [Test]
    public void Apply_EngineAnswers_ReadinessStaysTheNodesAndOnlyTheInstanceSaysIt()
    {
        var status = Status(engineUnreachable: false);

        var shown = RotationOverlay.Apply(status, Traffic(Out("web-0/aaaaaaaaaaaa", Now.AddSeconds(-5))), Now);

        Assert.Multiple(() =>
        {
            Assert.That((shown.State, shown.ReadyReplicas, shown.Message), Is.EqualTo((status.State, 2, status.Message)));
            Assert.That(shown.Replicas.Select(r => r.Ready), Is.All.True, "the node's own checks are fresher than the proxy's cooldown");
            Assert.That(shown.Replicas[0].OutOfRotation, Is.Not.Null);
            Assert.That(shown.Replicas[1].OutOfRotation, Is.Null);
        });
    }

    [Test]
    public void Apply_EngineUnreachableAndTheCooldownsEndedWithNoRequestReachingThem_StillNotReady()
    {
        // Seen live (faults14): dockerd stopped, both replicas' network namespaces gone; between one failed retry and the
        // next the cooldowns had ended, and `ls` showed Degraded 0/2, 1/2 and Ready 2/2 in turn.
        var status = Status(engineUnreachable: true);
        var traffic = Traffic(Out("web-0/aaaaaaaaaaaa", Now.AddSeconds(-30), until: Now.AddSeconds(-1)), Out("web-1/bbbbbbbbbbbb", Now.AddSeconds(-30), until: Now.AddSeconds(-2)));

        var shown = RotationOverlay.Apply(status, traffic, Now);

        Assert.Multiple(() =>
        {
            Assert.That((shown.State, shown.ReadyReplicas), Is.EqualTo((DeploymentState.Degraded, 0)));
            Assert.That(shown.Replicas.Select(r => r.Ready), Is.All.False);
            Assert.That(shown.Replicas[0].StateMessage, Does.EndWith("; no request has reached it since; the next one tries it again"));
        });
    }

    [Test]
    public void Apply_EngineAnswersAndTheCooldownOver_StatusAsItWas()
    {
        var status = Status(engineUnreachable: false);

        var shown = RotationOverlay.Apply(status, Traffic(Out("web-0/aaaaaaaaaaaa", Now.AddSeconds(-30), until: Now.AddSeconds(-1))), Now);

        Assert.That(shown, Is.SameAs(status));
    }

    private static DeploymentStatus Status(bool engineUnreachable) => new()
    {
        Name = "web",
        Slug = "web",
        State = DeploymentState.Ready,
        DesiredReplicas = 2,
        ReadyReplicas = 2,
        Message = "cannot reach the Docker engine at unix:///x: no socket file there; replicas and readiness as last seen at 2026-12-07T05:59:00Z, unknown since (dockerd stops them with itself unless live-restore is on)",
        EngineUnreachable = engineUnreachable,
        Replicas = [Replica(0, "aaaaaaaaaaaa0000"), Replica(1, "bbbbbbbbbbbb0000")],
    };

    private static ReplicaStatus Replica(int index, string id) => new()
    {
        Id = $"web-{index}",
        Index = index,
        Container = $"gradient-web-{index}-{id[..6]}",
        ContainerId = id,
        State = "running",
        Ready = true,
        SpecHash = "0123456789ab",
    };

    private static DeploymentTraffic Traffic(params ReplicaTraffic[] replicas) => new("web", None, None, replicas);

    private static ReplicaTraffic In(string id) => new(id, None);

    private static ReplicaTraffic Out(string id, DateTimeOffset since, DateTimeOffset? until = null) =>
        new(id, None) { OutOfRotation = new RotationOut(since, until ?? Now.AddSeconds(5), "Connection refused (10.0.0.2:8080)") };
}
