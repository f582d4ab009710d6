using GradientNode.Core.Engine;
using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// The published binary with a small <c>--max-replicas</c> against the dev dockerd: a deployment past the bound is
/// refused in its status naming the setting, the one that runs is never stopped for it, and it starts once room frees.
/// Also a machine type that asks for more memory than the host has: the replica's limit is the host's, and status says so.
/// </summary>
[TestFixture]
[Category("E2E")]
[Parallelizable(ParallelScope.Self)]
internal sealed class ReplicaCapEndToEndTests
{
    private DockerEngine _engine = null!;
    private GradientNodeProcess _node = null!;

    [SetUp]
    public async Task SetUp()
    {
        _engine = await TestEnvironment.RequireEngineAsync();
        _node = GradientNodeProcess.Prepare();
        await _node.StartAsync(extraArgs: ["--max-replicas", "2"]);
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
            _node = null!;
        }

        _engine?.Dispose();
        _engine = null!;
    }

    [Test]
    public async Task Up_MoreReplicasThanMaxReplicas_TheLaterIsRefusedNamingTheSettingTheFirstKeepsRunningThenItStarts()
    {
        await _node.WriteSpecAsync("first.yaml", SpecYaml.V1("first", replicas: 2));
        await _node.WaitForStatusAsync("first", s => s.State == DeploymentState.Ready, "Ready");
        var firstIds = (await _node.ContainersAsync(_engine, "first")).Select(c => c.Id).Order(StringComparer.Ordinal).ToList();

        await _node.WriteSpecAsync("second.yaml", SpecYaml.V1("second", replicas: 1));
        var refused = await _node.WaitForStatusAsync("second", s => s.Message?.Contains("refused", StringComparison.Ordinal) == true, "refused for room");
        var get = await _node.CliAsync("get", "second");
        var stillFirst = await _node.StatusAsync("first");
        var firstIdsAfter = (await _node.ContainersAsync(_engine, "first")).Select(c => c.Id).Order(StringComparer.Ordinal).ToList();
        var secondContainers = await _node.ContainersAsync(_engine, "second", runningOnly: false);

        Assert.Multiple(() =>
        {
            Assert.That(refused.State, Is.EqualTo(DeploymentState.Progressing));
            Assert.That(refused.Message, Is.EqualTo("0/1 ready: replica 0 is refused: this node runs at most 2 replicas (maxReplicas in node.yaml, --max-replicas) and other deployments hold 2; it starts when room frees"));
            Assert.That(get.Stdout, Does.Contain("--max-replicas"), "`get` shows why");
            Assert.That(secondContainers, Is.Empty, "no container past the bound");
            Assert.That(stillFirst?.State, Is.EqualTo(DeploymentState.Ready));
            Assert.That(firstIdsAfter, Is.EqualTo(firstIds), "the running deployment's replicas were not touched");
        });

        File.Delete(_node.SpecPath("first.yaml"));
        var started = await _node.WaitForStatusAsync("second", s => s.State == DeploymentState.Ready, "Ready once the first is deleted", TestTimeouts.Container);
        Assert.That(started.Message ?? string.Empty, Does.Not.Contain("refused"));
    }

    [Test]
    public async Task Up_MachineTypeAsksMoreMemoryThanTheHostHas_ReplicaLimitedToTheHostsMemoryAndStatusSaysSo()
    {
        var host = HostMemory();
        await _node.WriteSpecAsync("big.yaml", SpecYaml.V1("big", replicas: 1).Replace("machineType: C4", "machineType: C10", StringComparison.Ordinal));

        var ready = await _node.WaitForStatusAsync("big", s => s.State == DeploymentState.Ready, "Ready");
        var container = (await _node.ContainersAsync(_engine, "big")).Single();
        using var inspected = await TestEnvironment.InspectContainerJsonAsync(container.Id, CancellationToken.None);
        var limit = inspected.RootElement.GetProperty("HostConfig").GetProperty("Memory").GetInt64();

        Assert.Multiple(() =>
        {
            Assert.That(limit, Is.LessThanOrEqualTo(host).And.GreaterThan(0), "C10's 240 GiB would limit nothing");
            Assert.That(ready.NotActedOn, Has.Some.StartsWith("resources.machineType C10 asks for 240 GiB of memory; this host has "));
        });
    }

    /// <summary>The test box's <c>MemTotal</c> in bytes (the daemon and the engine run on it).</summary>
    private static long HostMemory()
    {
        var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }
}
