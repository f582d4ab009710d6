using Docker.DotNet;
using GradientNode.Core.Engine;
using GradientNode.Core.Networking;
using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using GradientNode.Tests.Install;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// The node leaves no host rule behind (docs/design/security.md, "Replicas are reached through the proxy only"): the
/// published binary on a replica network of this test's own keeps its network and rule while a replica outlives a stop,
/// and removes both when it stops with nothing on them. Only this node's network and the rules naming its bridge are
/// looked at, so other nodes of the engine and host are untouched.
/// </summary>
[TestFixture]
[Category("E2E")]
[Parallelizable(ParallelScope.Self)]
internal sealed class ReplicaNetworkReleaseTests
{
    private const string Name = "released";

    private readonly string _network = $"gn-release-{Guid.NewGuid().ToString("N")[..8]}";
    private DockerEngine _engine = null!;
    private GradientNodeProcess _node = null!;

    [SetUp]
    public async Task SetUp()
    {
        _engine = await TestEnvironment.RequireEngineAsync();
        TestEnvironment.RequireRoot("the node sets host rules as root only; run the tests as root (test.sh on CI does)");
        _ = Tools();
        _node = GradientNodeProcess.Prepare();
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
            _node = null!;
        }

        // A failed run's network goes, and the node's rules naming its bridge (only those: other nodes' stay).
        if (_engine is not null)
        {
            using var docker = new DockerClientBuilder().WithEndpoint(new Uri(TestEnvironment.DockerHost)).Build();
            foreach (var network in await _engine.FindNetworksAsync(_network, CancellationToken.None))
            {
                await docker.Networks.DeleteNetworkAsync(network.Id);
                foreach (var (tool, delete) in await RulesForAsync(network.BridgeInterface!))
                {
                    await ShellTool.RunAsync(tool, delete);
                }
            }
        }

        _engine?.Dispose();
        _engine = null!;
    }

    [Test]
    public async Task Up_StoppedWithAReplicaThenWithNothing_RuleKeptWhileTheReplicaRunsThenNetworkAndRuleGone()
    {
        var args = new[] { "--replica-network", _network };
        await _node.StartAsync(args);
        await _node.WriteSpecAsync("app.yaml", SpecYaml.V1(Name, replicas: 1));
        await _node.WaitForStatusAsync(Name, s => s.State == DeploymentState.Ready, "Ready");
        var bridge = (await _engine.FindNetworksAsync(_network, CancellationToken.None)).Single().BridgeInterface!;
        Assert.That(await RulesForAsync(bridge), Has.Count.EqualTo(Tools().Length), "the node protects its bridge, one rule per tool");

        // A stop with a replica on the network: the replica keeps running, protected, until a node adopts it.
        await _node.StopAsync();
        Assert.Multiple(async () =>
        {
            Assert.That(_node.ExitCode, Is.Zero, _node.Output);
            Assert.That(await _engine.FindNetworksAsync(_network, CancellationToken.None), Has.Count.EqualTo(1), "the network stays");
            Assert.That(await RulesForAsync(bridge), Has.Count.EqualTo(Tools().Length), "and so do its rules");
        });

        // Started again, the replica deleted, stopped: nothing of the node's is left.
        await _node.StartAsync(args);
        var deleted = await _node.CliAsync("delete", Name);
        Assert.That(deleted.ExitCode, Is.Zero, deleted.ToString());
        await TestTimeouts.WaitUntilAsync(
            async () => (await _node.ContainersAsync(_engine, Name, runningOnly: false)).Count == 0, TestTimeouts.Container, "the replica removed");
        await _node.StopAsync();

        Assert.Multiple(async () =>
        {
            Assert.That(_node.ExitCode, Is.Zero, _node.Output);
            Assert.That(await _engine.FindNetworksAsync(_network, CancellationToken.None), Is.Empty, "the network the node made is gone");
            Assert.That(Directory.Exists($"/sys/class/net/{bridge}"), Is.False, "with its bridge");
            Assert.That(await RulesForAsync(bridge), Is.Empty, "and no rule names its bridge");
            Assert.That(_node.Output, Does.Contain($"Removed the replica network {_network} ({bridge})"));
        });
    }

    /// <summary>The node's rules naming <paramref name="bridge"/>, each as its tool and the arguments that delete it.</summary>
    private static async Task<List<(string Tool, IReadOnlyList<string> Delete)>> RulesForAsync(string bridge)
    {
        var rules = new List<(string, IReadOnlyList<string>)>();
        foreach (var tool in Tools())
        {
            var (exit, output) = await ShellTool.RunAsync(tool, ["-w", "10", "-S", "OUTPUT"]);
            Assert.That(exit, Is.Zero, output);
            rules.AddRange(IptablesRules.OursFor(output, bridge).Select(d => (tool, d)));
        }

        return rules;
    }

    /// <summary>iptables, and ip6tables where the kernel has IPv6 (as the node runs them).</summary>
    private static string[] Tools() =>
        Directory.Exists("/proc/sys/net/ipv6")
            ? [ShellTool.Require("iptables", "iptables"), ShellTool.Require("ip6tables", "iptables")]
            : [ShellTool.Require("iptables", "iptables")];
}
