using GradientNode.Core.Health;
using NUnit.Framework;

namespace GradientNode.Tests.Health;

[TestFixture]
[Category("Unit")]
internal sealed class HealthSnapshotTests
{
    private static readonly ProbeStatus StartupPassed = new() { LastResult = "success", LastMessage = "'/bin/sh -c true' exited with 0" };
    private static readonly ProbeStatus LivenessPassed = new() { LastResult = "success", LastMessage = "200 from GET /live on port 8080" };

    [Test]
    public void Detail_NotReadyRightAfterTheStartupProbePassed_WaitsForReadinessNotQuotingTheStartupProbe()
    {
        var health = new HealthSnapshot(ReplicaHealth.NotReady, true, null, StartupPassed, new ProbeStatus(), null);

        Assert.That(health.Detail, Is.EqualTo("waiting for the readiness probe"));
    }

    [Test]
    public void Detail_ReadyWhileTheLivenessProbeRanLast_QuotesTheReadinessProbe()
    {
        var readiness = new ProbeStatus { LastResult = "success", LastMessage = "200 from GET /ready on port 8080" };
        var health = new HealthSnapshot(ReplicaHealth.Ready, true, null, StartupPassed, readiness, LivenessPassed);

        Assert.That(health.Detail, Is.EqualTo("readiness probe: 200 from GET /ready on port 8080"));
    }

    [Test]
    public void Detail_NotReadyAfterFailures_QuotesTheFailingReadinessProbe()
    {
        var readiness = new ProbeStatus { LastResult = "httpStatus", LastMessage = "503 from GET /ready on port 8080", ConsecutiveFailures = 3 };
        var health = new HealthSnapshot(ReplicaHealth.NotReady, true, null, null, readiness, LivenessPassed);

        Assert.That(health.Detail, Is.EqualTo("readiness probe: 503 from GET /ready on port 8080"));
    }

    [Test]
    public void Detail_Starting_QuotesTheStartupProbe()
    {
        var startup = new ProbeStatus { LastResult = "connectionRefused", LastMessage = "connection refused on 10.0.0.2:8080" };

        Assert.That(new HealthSnapshot(ReplicaHealth.Starting, false, null, startup, null, null).Detail, Is.EqualTo("startup probe: connection refused on 10.0.0.2:8080"));
    }

    [Test]
    public void Detail_MustRestart_IsTheRestartReason()
    {
        var health = new HealthSnapshot(ReplicaHealth.MustRestart, true, "liveness probe failed 3 times in a row: 503", null, null, LivenessPassed);

        Assert.That(health.Detail, Is.EqualTo("liveness probe failed 3 times in a row: 503"));
    }

    [Test]
    public void Detail_ReadyWithOnlyAStartupProbe_QuotesTheStartupProbe()
    {
        var health = new HealthSnapshot(ReplicaHealth.Ready, false, null, StartupPassed, null, null);

        Assert.That(health.Detail, Is.EqualTo("startup probe: '/bin/sh -c true' exited with 0"));
    }
}
