using System.Net;
using GradientNode.Core.Health;
using GradientNode.Core.Reconciliation;
using GradientNode.Core.Specs;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

[TestFixture]
[Category("Unit")]
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
internal sealed class HealthOverlayTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly PathHandler _handler = new();
    private readonly ProbeRunner _runner;
    private readonly HealthMonitor _monitor;
    private readonly HealthOverlay _overlay;

    public HealthOverlayTests()
    {
        _runner = new ProbeRunner(new ScriptedPullEngine(), _handler);
        _monitor = new HealthMonitor(_runner, _clock, NullLogger<HealthMonitor>.Instance);
        _overlay = new HealthOverlay(_monitor);
    }

    public void Dispose()
    {
        _monitor.Dispose();
        _runner.Dispose();
        _handler.Dispose();
    }

    [Test]
    public async Task Apply_RolloutChangesTheReadinessProbe_OldReplicaKeepsItsOwnProbeAndStaysReady()
    {
        var old = Running(0, "v1");
        await ReadyAsync(Spec("/ready"), "v1", old);

        // v2 asks for a path that never answers 200: only v2's replica is probed with it.
        var fresh = Running(1, "v2");
        var v2 = Spec("/nope");
        _overlay.Apply("web", v2, "v2", 8080, [old, fresh]);
        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(_monitor.Get(fresh.ContainerId)?.Readiness?.LastResult is not null), TestTimeouts.Short, "the new replica's first probe");
        var observed = _overlay.Apply("web", v2, "v2", 8080, [old, fresh]);

        Assert.Multiple(() =>
        {
            Assert.That(observed[0].Ready, Is.True, "the old version's replica still serves: its probe is still /ready");
            Assert.That(observed[1].Ready, Is.False, "the new version's replica is probed with the new /nope");
            Assert.That(_handler.Paths(old.IpAddress!), Has.No.Member("/nope"), "the old replica was never probed with the new path");
        });
    }

    [Test]
    public async Task Apply_SameVersionProbeChanged_TheNewProbeApplies()
    {
        var replica = Running(0, "v1");
        await ReadyAsync(Spec("/ready"), "v1", replica);

        // A healthChecks-only change keeps the hash: the replica is of the current version, so the new probe is its probe.
        _overlay.Apply("web", Spec("/nope"), "v1", 8080, [replica]);
        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(_handler.Paths(replica.IpAddress!).Contains("/nope")), TestTimeouts.Short, "the new probe");
        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(_monitor.Get(replica.ContainerId)?.Readiness?.LastResult is not null), TestTimeouts.Short, "its result");

        Assert.That(_overlay.Apply("web", Spec("/nope"), "v1", 8080, [replica])[0].Ready, Is.False);
    }

    [Test]
    public void Apply_OldReplicaWithoutAProbeLoop_KeepsItsTcpCheckRatherThanTheNewProbe()
    {
        // After a daemon restart during a rollout the old replica's probes are unknown: it is not given the new ones.
        var old = Running(0, "v1");

        var observed = _overlay.Apply("web", Spec("/nope"), "v2", 8080, [old]);

        Assert.Multiple(() =>
        {
            Assert.That(observed[0].Ready, Is.True, "the TCP check (ready in the observed replica) decides");
            Assert.That(_monitor.Get(old.ContainerId), Is.Null, "no probe loop was started for it");
        });
    }

    private static DeploymentSpec Spec(string readinessPath) => ReconcilerTestData.Spec($"""
        healthChecks:
          readiness:
            path: {readinessPath}
            periodSeconds: 1
            failureThreshold: 1
        """);

    private static ObservedReplica Running(int index, string hash) =>
        ReconcilerTestData.Replica(index, hash) with { StartedAt = Start, IpAddress = $"10.0.0.{index + 2}" };

    private async Task ReadyAsync(DeploymentSpec spec, string hash, ObservedReplica replica)
    {
        _overlay.Apply("web", spec, hash, 8080, [replica]);
        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(_monitor.Get(replica.ContainerId)?.Health == ReplicaHealth.Ready), TestTimeouts.Short, "the replica to pass its readiness probe");
        Assert.That(_overlay.Apply("web", spec, hash, 8080, [replica])[0].Ready, Is.True);
    }

    /// <summary>Answers 200 on <c>/ready</c> and 404 elsewhere, and records each host's paths.</summary>
    private sealed class PathHandler : HttpMessageHandler
    {
        private readonly List<(string Host, string Path)> _seen = [];

        public IReadOnlyList<string> Paths(string host)
        {
            lock (_seen)
            {
                return [.. _seen.Where(s => s.Host == host).Select(s => s.Path)];
            }
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (_seen)
            {
                _seen.Add((request.RequestUri!.Host, request.RequestUri.AbsolutePath));
            }

            return Task.FromResult(new HttpResponseMessage(request.RequestUri.AbsolutePath == "/ready" ? HttpStatusCode.OK : HttpStatusCode.NotFound));
        }
    }
}
