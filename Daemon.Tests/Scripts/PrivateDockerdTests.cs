using GradientNode.Tests.Infrastructure;
using GradientNode.Tests.Install;
using NUnit.Framework;

namespace GradientNode.Tests.Scripts;

/// <summary>
/// scripts/lib.sh's private dockerd (run.sh, test.sh and the benches start one when no engine answers), against a real
/// dockerd and real bridges: a data directory that remembers a subnet another interface now holds must not bring that
/// subnet back, or two routes share it and no container is reachable.
/// </summary>
[TestFixture]
[Category("Engine")]
[NonParallelizable]
public sealed class PrivateDockerdTests
{
    private string _dir = null!;
    private string? _holder;
    private string? _inUse;
    private string? _inUsePort;

    [SetUp]
    public void SetUp()
    {
        if (Environment.UserName != "root")
        {
            var problem = "starting a dockerd and adding bridges needs root";
            if (TestEnvironment.IsCi)
            {
                Assert.Fail(problem);
            }

            Assert.Ignore(problem);
        }

        ShellTool.Require("dockerd", "docker.io");
        ShellTool.Require("ip", "iproute2");
        // Short: the bridge is named after the folder (15 characters) and the socket path must stay short.
        _dir = Path.Combine("/tmp", "gn-lt-" + Guid.NewGuid().ToString("N")[..8]);
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_dir is null)
        {
            return;
        }

        await LibAsync($"stop_private_dockerd {_dir}");
        foreach (var link in new[] { _holder, _inUsePort, _inUse })
        {
            if (link is not null)
            {
                await ShellTool.RunAsync("ip", ["link", "delete", link]);
            }
        }

        if (Directory.Exists(_dir))
        {
            await ShellTool.RunAsync("rm", ["-rf", _dir]);
        }
    }

    [Test]
    public async Task StartPrivateDockerd_RememberedSubnetHeldElsewhere_MovesToAFreeOneAndResetsTheNetworkStore()
    {
        var (rc, output) = await LibAsync($"start_private_dockerd {_dir} && stop_private_dockerd {_dir}");
        Assert.That(rc, Is.Zero, output);
        var (_, rememberedText) = await LibAsync($"remembered_bridge_subnet {_dir}");
        Assert.That(int.TryParse(rememberedText.Trim(), out var remembered), Is.True, $"the store remembers a 10.213.N.0/24: '{rememberedText}'");

        // Another interface takes that subnet while this dockerd is stopped (its bridge was deleted at stop).
        _holder = "gn-lt-hold" + Guid.NewGuid().ToString("N")[..4];
        AssertSucceeds(await ShellTool.RunAsync("ip", ["link", "add", _holder, "type", "bridge"]));
        AssertSucceeds(await ShellTool.RunAsync("ip", ["addr", "add", $"10.213.{remembered}.1/24", "dev", _holder]));

        (rc, output) = await LibAsync($"start_private_dockerd {_dir}");

        Assert.That(rc, Is.Zero, output);
        Assert.That(output, Does.Contain($"remembers 10.213.{remembered}.0/24, now held by another interface"));
        var bridge = (await LibAsync($"private_bridge_name {_dir}")).Output.Trim();
        var (_, addresses) = await ShellTool.RunAsync("ip", ["-4", "-o", "addr", "show"]);
        var holders = addresses.Split('\n').Where(l => l.Contains($" inet 10.213.{remembered}.", StringComparison.Ordinal)).ToList();
        Assert.That(holders, Has.Count.EqualTo(1).And.All.Contain(_holder), "the remembered subnet stays with the other interface alone");
        var (_, actualText) = await LibAsync($"bridge_subnet {bridge}");
        Assert.That(actualText.Trim(), Is.Not.Empty.And.Not.EqualTo(remembered.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var (inspectRc, subnet) = await ShellTool.RunAsync("docker",
            ["-H", $"unix://{_dir}/docker.sock", "network", "inspect", "bridge", "-f", "{{range .IPAM.Config}}{{.Subnet}}{{end}}"]);
        Assert.That(inspectRc, Is.Zero, subnet);
        Assert.That(subnet.Trim(), Is.EqualTo($"10.213.{actualText.Trim()}.0/24"), "the engine's bridge network is on the bridge's own subnet");
    }

    [Test]
    public async Task StartPrivateDockerd_RememberedSubnetFreeButNotTheFirst_KeepsIt()
    {
        // The first free subnet is held while the dockerd first starts, so it remembers a later one; then it is free.
        var (_, firstFree) = await ShellTool.RunAsync("bash", ["-c",
            "for n in $(seq 1 254); do ip -4 -o addr show | grep -q \" inet 10\\.213\\.$n\\.\" || { echo $n; break; }; done"]);
        _holder = "gn-lt-hold" + Guid.NewGuid().ToString("N")[..4];
        AssertSucceeds(await ShellTool.RunAsync("ip", ["link", "add", _holder, "type", "bridge"]));
        AssertSucceeds(await ShellTool.RunAsync("ip", ["addr", "add", $"10.213.{firstFree.Trim()}.1/24", "dev", _holder]));
        var (rc, output) = await LibAsync($"start_private_dockerd {_dir} && stop_private_dockerd {_dir}");
        Assert.That(rc, Is.Zero, output);
        var remembered = (await LibAsync($"remembered_bridge_subnet {_dir}")).Output.Trim();
        Assert.That(remembered, Is.Not.Empty.And.Not.EqualTo(firstFree.Trim()));
        await ShellTool.RunAsync("ip", ["link", "delete", _holder]);
        _holder = null;

        (rc, output) = await LibAsync($"start_private_dockerd {_dir}");

        Assert.That(rc, Is.Zero, output);
        Assert.That(output, Does.Not.Contain("network store is reset"));
        var bridge = (await LibAsync($"private_bridge_name {_dir}")).Output.Trim();
        var (_, addresses) = await ShellTool.RunAsync("ip", ["-4", "-o", "addr", "show", "dev", bridge]);
        Assert.That(addresses.Split('\n').Count(l => l.Contains(" inet ", StringComparison.Ordinal)), Is.EqualTo(1), addresses);
        Assert.That((await LibAsync($"bridge_subnet {bridge}")).Output.Trim(), Is.EqualTo(remembered), "the bridge comes back on the subnet the engine remembers");
    }

    [Test]
    public async Task StopPrivateDockerd_EngineMadeANetwork_ItsBridgeGoesSoTheNextDockerdWithThatSubnetHasItsWholePoolButOneInUseStays()
    {
        // Before: dockerd (live-restore) left br-* of its networks behind at stop; a later dockerd given the same
        // 10.213.N.0/24 found its /19 taken and could not make networks ("non-overlapping IPv4 address pool").
        var (rc, output) = await LibAsync($"start_private_dockerd {_dir}");
        Assert.That(rc, Is.Zero, output);
        var bridge = (await LibAsync($"private_bridge_name {_dir}")).Output.Trim();
        var n = int.Parse((await LibAsync($"bridge_subnet {bridge}")).Output.Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var (createRc, networkId) = await ShellTool.RunAsync("docker", ["-H", $"unix://{_dir}/docker.sock", "network", "create", "gn-lt-pool"]);
        Assert.That(createRc, Is.Zero, networkId);
        var networkBridge = "br-" + networkId.Trim()[..12];
        Assert.That((await ShellTool.RunAsync("ip", ["link", "show", networkBridge])).ExitCode, Is.Zero, "the engine made the network's bridge");

        // A bridge a crashed dockerd left in the pool (stop never ran for it) goes when the next one starts there.
        (rc, output) = await LibAsync($"stop_private_dockerd {_dir}");
        Assert.That(rc, Is.Zero, output);
        var stillThere = (await ShellTool.RunAsync("ip", ["link", "show", networkBridge])).ExitCode == 0;
        _holder = "br-gnlt" + Guid.NewGuid().ToString("N")[..6];
        AssertSucceeds(await ShellTool.RunAsync("ip", ["link", "add", _holder, "type", "bridge"]));
        AssertSucceeds(await ShellTool.RunAsync("ip", ["addr", "add", $"10.{214 + (n / 8)}.{(n % 8 * 32) + 28}.1/22", "dev", _holder]));

        // A bridge in the pool that still has an interface on it (a container live-restore kept running through a
        // dockerd restart) stays: before, it was deleted too, and those replicas ran on unreachable for good.
        _inUse = "br-gnlu" + Guid.NewGuid().ToString("N")[..6];
        _inUsePort = "gnlu" + Guid.NewGuid().ToString("N")[..6];
        AssertSucceeds(await ShellTool.RunAsync("ip", ["link", "add", _inUse, "type", "bridge"]));
        AssertSucceeds(await ShellTool.RunAsync("ip", ["addr", "add", $"10.{214 + (n / 8)}.{(n % 8 * 32) + 24}.1/22", "dev", _inUse]));
        AssertSucceeds(await ShellTool.RunAsync("ip", ["link", "add", _inUsePort, "type", "veth", "peer", "name", _inUsePort + "p"]));
        AssertSucceeds(await ShellTool.RunAsync("ip", ["link", "set", _inUsePort, "master", _inUse]));
        (rc, output) = await LibAsync($"start_private_dockerd {_dir}");

        Assert.Multiple(() =>
        {
            Assert.That(stillThere, Is.False, "stop removed the network's bridge");
            Assert.That(rc, Is.Zero, output);
            Assert.That(output, Does.Contain($"removing {_holder}"));
        });
        Assert.That((await ShellTool.RunAsync("ip", ["link", "show", _holder])).ExitCode, Is.Not.Zero, "the stale bridge in the pool is gone");
        _holder = null;
        Assert.That(output, Does.Not.Contain($"removing {_inUse}"));
        Assert.That((await ShellTool.RunAsync("ip", ["link", "show", _inUse])).ExitCode, Is.Zero, "a bridge with an interface on it stays");
    }

    private static void AssertSucceeds((int ExitCode, string Output) run) => Assert.That(run.ExitCode, Is.Zero, run.Output);

    private static Task<(int ExitCode, string Output)> LibAsync(string commands) =>
        ShellTool.RunAsync("bash", ["-c", $"source scripts/lib.sh && {commands}"]);
}
