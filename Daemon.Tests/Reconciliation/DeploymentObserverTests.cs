using System.Net;
using System.Net.Sockets;
using GradientNode.Core.Engine;
using GradientNode.Core.Reconciliation;
using GradientNode.Core.Secrets;
using GradientNode.Core.Specs;
using GradientNode.Core.Status;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

[TestFixture]
[Category("Unit")]
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
internal sealed class DeploymentObserverTests
{
    private readonly RecordingEngine _engine = new();
    private readonly ReplicaJournal _journal = new();
    private readonly FakeTimeProvider _clock = new();

    [Test]
    public async Task ObserveAsync_Overlays_AppliedInOrder()
    {
        _engine.Containers.Add(Container("c0", 0, running: true));
        var calls = new List<string>();
        var observer = Observer(new MarkingOverlay("first", calls), new MarkingOverlay("second", calls));

        var observed = await observer.ObserveAsync("web", null, "h", 8080, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(calls, Is.EqualTo(new[] { "first", "second" }));
            Assert.That(observed.Single().GpuLoss, Is.EqualTo("second"), "the later overlay sees the earlier one's result");
        });
    }

    [Test]
    public async Task ObserveAsync_ReplicaCreatedWithDockersDefaultCapabilities_DriftNamesNetRawFromTheOneInspect()
    {
        _engine.Containers.Add(Container("old", 0, running: true, capDrop: []));
        _engine.Containers.Add(Container("mine", 1, running: true));
        _engine.Containers.Add(Container("spelt", 2, running: true, capDrop: ["CAP_NET_RAW"]));

        var observed = await Observer().ObserveAsync("web", null, "h", 8080, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(observed.Select(r => r.Drift), Is.EqualTo(new[] { "created with NET_RAW by an earlier version of the node", null, null }));
            Assert.That(observed.Select(r => r.IsCurrent("h")), Is.EqualTo(new[] { false, true, true }));
            Assert.That(_engine.Inspections, Is.EqualTo(3), "one inspect per container, as before");
        });
    }

    [Test]
    public async Task ObserveAsync_EngineLeavesCapDropOutOfTheInspectOfAReplicaThisVersionMade_NoDriftSoNoEndlessRollout()
    {
        var mine = Container("mine", 0, running: true, capDrop: []);
        _engine.Containers.Add(mine with { Labels = new Dictionary<string, string>(mine.Labels) { [ContainerLabels.CapDrop] = "NET_RAW" } });

        var replica = (await Observer().ObserveAsync("web", null, "h", 8080, CancellationToken.None)).Single();

        Assert.That(replica.Drift, Is.Null);
    }

    [Test]
    public async Task ObserveAsync_RunningReplicaWithoutAnAddress_NotReadyAndReplacedForItsLostNetwork()
    {
        _engine.Containers.Add(Container("c0", 0, running: true));

        var replica = (await Observer().ObserveAsync("web", null, "h", 8080, CancellationToken.None)).Single();

        Assert.Multiple(() =>
        {
            Assert.That(replica.Ready, Is.False);
            Assert.That(replica.NotReadyReason, Is.EqualTo(ReplicaObserver.NoAddress));
            Assert.That(replica.RestartReason, Is.EqualTo(ReplicaObserver.NoAddress));
        });
    }

    [Test]
    public async Task ObserveAsync_ExitedReplica_JournalsItsStateAndKeepsItsLastLines()
    {
        _engine.Containers.Add(Container("c0", 0, running: false));
        _engine.LogText.AddRange(["starting", "panic: boom"]);

        await Observer().ObserveAsync("web", null, "h", 8080, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(_journal.History("web-0"), Is.Not.Empty);
            Assert.That(_journal.LastLogLines("web-0"), Is.EqualTo(new[] { "starting", "panic: boom" }));
        });
    }

    [Test]
    public async Task ObserveAsync_ExitedReplicaPrintedItsSecret_KeepsTheLinesMasked()
    {
        _engine.Containers.Add(Container("c0", 0, running: false));
        _engine.LogText.AddRange(["token is t0k3n-value", "panic: boom"]);
        string? maskedFor = null;
        var observer = new DeploymentObserver(new ReplicaObserver(_engine, new ReconcilerOptions()), [], _journal, _engine, _clock, (slug, _) =>
        {
            maskedFor = slug;
            return new LogMask(["t0k3n-value"]);
        });

        await observer.ObserveAsync("web", ReconcilerTestData.Spec(), "h", 8080, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(maskedFor, Is.EqualTo("web"));
            Assert.That(_journal.LastLogLines("web-0"), Is.EqualTo(new[] { "token is ***", "panic: boom" }));
        });
    }

    [Test]
    public async Task ObserveAsync_ExitedReplicaOfADeletedDeployment_AsksForAMaskWithoutASpecAndKeepsTheLinesMasked()
    {
        // Deleted while its replicas stop: no spec, and before, no mask either (the lines were kept as printed).
        _engine.Containers.Add(Container("c0", 0, running: false));
        _engine.LogText.AddRange(["token is t0k3n-value"]);
        var asked = false;
        var observer = new DeploymentObserver(new ReplicaObserver(_engine, new ReconcilerOptions()), [], _journal, _engine, _clock, (_, spec) =>
        {
            asked = spec is null;
            return new LogMask(["t0k3n-value"]);
        });

        await observer.ObserveAsync("web", null, string.Empty, 8080, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(asked, Is.True, "the mask was asked for without a spec");
            Assert.That(_journal.LastLogLines("web-0"), Is.EqualTo(new[] { "token is ***" }));
        });
    }

    [Test]
    public async Task ObserveAsync_ReplicaLabelledWithItsPort_TcpCheckedOnItsOwnPortNotTheCurrentSpecs()
    {
        // An old replica during a rollout from its port to another: it listens on its own (the label), not the new one.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var ownPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        var newPort = ClosedPort();
        var labels = new Dictionary<string, string>
        {
            [ContainerLabels.Replica] = "0",
            [ContainerLabels.SpecHash] = "old",
            [ContainerLabels.Port] = $"{ownPort}",
        };
        _engine.Containers.Add(Container("c0", 0, running: true) with { Labels = labels, IpAddress = "127.0.0.1" });

        var replica = (await Observer().ObserveAsync("web", null, "new", newPort, CancellationToken.None)).Single();

        Assert.Multiple(() =>
        {
            Assert.That(replica.Ready, Is.True, replica.NotReadyReason);
            Assert.That(replica.Port, Is.EqualTo(ownPort));
        });
    }

    [Test]
    public async Task ObserveAsync_PausedReplicaWhosePortStillAcceptsConnections_NotReadyAndSaysPaused()
    {
        // docker pause: the engine says running (and paused), the kernel still completes the TCP handshake on the port,
        // but nothing answers. Before, the TCP check passed, it stayed ready, and requests the proxy sent it hung.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var paused = Container("c0", 0, running: true) with { IpAddress = "127.0.0.1" };
        _engine.Containers.Add(paused with { State = paused.State with { Status = "paused" } });

        var replica = (await Observer().ObserveAsync("web", null, "h", port, CancellationToken.None)).Single();

        Assert.Multiple(() =>
        {
            Assert.That(replica.Running, Is.True);
            Assert.That(replica.Ready, Is.False);
            Assert.That(replica.NotReadyReason, Is.EqualTo(ReplicaObserver.Paused));
            Assert.That(replica.Paused, Is.True);
            Assert.That(replica.RestartReason, Is.Null, "left paused, not replaced: docker unpause brings it back");
        });
    }

    [Test]
    public async Task ObserveAsync_ReplicaWithoutThePortLabel_TcpCheckedOnTheCurrentSpecsPort()
    {
        var closed = ClosedPort();
        _engine.Containers.Add(Container("c0", 0, running: true) with { IpAddress = "127.0.0.1" });

        var replica = (await Observer().ObserveAsync("web", null, "h", closed, CancellationToken.None)).Single();

        Assert.Multiple(() =>
        {
            Assert.That(replica.Ready, Is.False);
            Assert.That(replica.Port, Is.EqualTo(closed));
            Assert.That(replica.NotReadyReason, Does.Contain($"port {closed} refuses connections"));
        });
    }

    private static int ClosedPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private DeploymentObserver Observer(params IReplicaOverlay[] overlays)
    {
        var options = new ReconcilerOptions();
        return new DeploymentObserver(new ReplicaObserver(_engine, options), overlays, _journal, _engine, _clock);
    }

    /// <summary>A replica as this version creates one (<c>CapDrop: [NET_RAW]</c>), unless <paramref name="capDrop"/> says otherwise.</summary>
    private ContainerDetails Container(string id, int index, bool running, string[]? capDrop = null) => new(
        id,
        $"/web-{index}",
        "registry.example/web:1",
        new Dictionary<string, string> { [ContainerLabels.Replica] = $"{index}", [ContainerLabels.SpecHash] = "h" },
        new ContainerState(running ? "running" : "exited", running, false, false, running ? 0 : 2, null, _clock.GetUtcNow(), running ? null : _clock.GetUtcNow()),
        null,
        _clock.GetUtcNow(),
        0)
    {
        CapDrop = capDrop ?? [.. ContainerCapabilities.Dropped],
    };

    private sealed class MarkingOverlay(string name, List<string> calls) : IReplicaOverlay
    {
        public IReadOnlyList<ObservedReplica> Apply(string slug, DeploymentSpec? spec, string specHash, int port, IReadOnlyList<ObservedReplica> observed)
        {
            calls.Add(name);
            return [.. observed.Select(r => r with { GpuLoss = name })];
        }
    }
}
