using System.Net;
using System.Net.Sockets;
using GradientNode.Core.Engine;
using GradientNode.Core.Reconciliation;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

/// <summary>A running replica whose network interface is gone while the engine still names its address (faults11).</summary>
[TestFixture]
[Category("Unit")]
internal sealed class ReplicaObserverTests
{
    private const string Id = "1c08da2c573484eca1da7d3c401306d69fa7862e6f931732e4b1d3b364217df0";
    private const int Pid = 4321;
    private string _proc = string.Empty;

    [SetUp]
    public void SetUp() => _proc = Directory.CreateTempSubdirectory("gn-proc-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_proc, recursive: true);

    [Test]
    public async Task ObserveAsync_RunningReplicaWhoseNamespaceHasOnlyLoopback_NetworkLostSoItIsReplaced()
    {
        Process($"12:memory:/docker/{Id}\n9:name=systemd:/docker/{Id}\n", "lo");

        var replica = await ObserveAsync();

        // Before: 'port N did not answer within 1s' for good (Progressing), and nothing replaced it without a liveness probe.
        Assert.Multiple(() =>
        {
            Assert.That(replica.NetworkLoss, Is.EqualTo(ReplicaObserver.InterfaceGone));
            Assert.That(replica.RestartReason, Is.EqualTo(ReplicaObserver.InterfaceGone), "stopped, then replaced after its exit");
            Assert.That(replica.NotReadyReason, Is.EqualTo(ReplicaObserver.InterfaceGone));
            Assert.That(replica.Ready, Is.False);
        });
    }

    [TestCase("lo", "eth0", TestName = "ObserveAsync_NamespaceStillHasItsInterface_OnlyNotReady")]
    [TestCase("lo", null, TestName = "ObserveAsync_PidIsAnotherProcess_OnlyNotReady")]
    public async Task ObserveAsync_NotKnownToBeGone_OnlyNotReady(string first, string? second)
    {
        var cgroup = second is null ? "12:memory:/user.slice\n" : $"0::/system.slice/docker-{Id}.scope\n";
        Process(cgroup, second is null ? [first] : [first, second]);

        var replica = await ObserveAsync();

        Assert.Multiple(() =>
        {
            Assert.That(replica.NetworkLoss, Is.Null);
            Assert.That(replica.NotReadyReason, Does.Contain("refuses connections"));
        });
    }

    private async Task<ObservedReplica> ObserveAsync()
    {
        var port = ClosedPort();
        var engine = new RecordingEngine();
        engine.Containers.Add(new ContainerDetails(
            Id,
            "/web-0",
            "registry.example/web:1",
            new Dictionary<string, string> { [ContainerLabels.Replica] = "0", [ContainerLabels.SpecHash] = "h", [ContainerLabels.Port] = $"{port}" },
            new ContainerState("running", true, false, false, 0, null, DateTimeOffset.UtcNow, null),
            "127.0.0.1",
            DateTimeOffset.UtcNow,
            0) { Pid = Pid });
        var observer = new ReplicaObserver(engine, new ReconcilerOptions { ProcRoot = _proc });
        return (await observer.ObserveAsync("web", port, CancellationToken.None)).Single();
    }

    private void Process(string cgroup, params string[] interfaces)
    {
        var dir = Path.Combine(_proc, $"{Pid}");
        Directory.CreateDirectory(Path.Combine(dir, "net"));
        File.WriteAllText(Path.Combine(dir, "cgroup"), cgroup);
        File.WriteAllText(
            Path.Combine(dir, "net", "dev"),
            "Inter-|   Receive                                                |  Transmit\n"
            + " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n"
            + string.Concat(interfaces.Select(name => $"    {name}:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0\n")));
    }

    private static int ClosedPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
