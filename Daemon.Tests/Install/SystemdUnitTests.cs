using NUnit.Framework;

namespace GradientNode.Tests.Install;

/// <summary>The unit files in systemd/: lint-clean and carrying the settings the design relies on.</summary>
[TestFixture]
[Category("Install")]
public sealed class SystemdUnitTests
{
    private static readonly string[] Units = ["gradient-node.service", "gradient-node.socket", "gradient-node-proxy.service", "gradient-node-proxy.socket", "gradient-node-containers.slice"];

    [Test]
    public async Task Verify_EveryUnit_Clean()
    {
        var analyze = ShellTool.Require("systemd-analyze", "systemd");
        var dir = Directory.CreateTempSubdirectory("gn-units-").FullName;
        try
        {
            // verify checks that ExecStart exists: point the copies at a stand-in for /usr/local/bin/gradient-node.
            var binary = Path.Combine(dir, "gradient-node");
            await File.WriteAllTextAsync(binary, "#!/bin/sh\n");
            File.SetUnixFileMode(binary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var copies = new List<string>();
            foreach (var unit in Units)
            {
                var text = await File.ReadAllTextAsync(Path.Combine(ShellTool.RepoRoot(), "systemd", unit));
                var copy = Path.Combine(dir, unit);
                await File.WriteAllTextAsync(copy, text.Replace("/usr/local/bin/gradient-node", binary, StringComparison.Ordinal));
                copies.Add(copy);
            }

            var (exitCode, output) = await ShellTool.RunAsync(analyze, ["verify", "--man=no", .. copies]);

            Assert.That(exitCode, Is.Zero, output);
            Assert.That(output.Trim(), Is.Empty, "systemd-analyze verify printed warnings");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestCase("gradient-node.service", "ExecStart=/usr/local/bin/gradient-node daemon")]
    [TestCase("gradient-node-proxy.service", "ExecStart=/usr/local/bin/gradient-node proxy")]
    public void Unit_Settings_TheDesignReliesOn(string unit, string execStart)
    {
        var lines = File.ReadAllLines(Path.Combine(ShellTool.RepoRoot(), "systemd", unit));

        Assert.That(lines, Does.Contain(execStart));
        Assert.That(lines, Does.Contain("Type=notify"));
        Assert.That(lines, Does.Contain("Restart=on-failure"));
        Assert.That(lines, Does.Contain("RuntimeDirectory=gradient"));
        Assert.That(lines, Does.Contain("RuntimeDirectoryPreserve=yes"), "the other unit shares /run/gradient");
        Assert.That(lines, Does.Contain("After=docker.service network-online.target"));
        Assert.That(lines, Does.Contain("Wants=docker.service network-online.target"));
        Assert.That(lines.Any(l => l.StartsWith("WatchdogSec=", StringComparison.Ordinal)));
        Assert.That(lines.Any(l => l.StartsWith("PartOf=", StringComparison.Ordinal) || l.StartsWith("BindsTo=", StringComparison.Ordinal)), Is.False, "the proxy must outlive a daemon restart");
    }

    [Test]
    public void Units_TieredCompilation_OffForTheDaemonOnlyAndOverridable()
    {
        var daemon = File.ReadAllLines(Path.Combine(ShellTool.RepoRoot(), "systemd", "gradient-node.service"));
        var proxy = File.ReadAllLines(Path.Combine(ShellTool.RepoRoot(), "systemd", "gradient-node-proxy.service"));

        Assert.That(daemon, Does.Contain("Environment=DOTNET_TieredCompilation=0"));
        Assert.That(
            Array.IndexOf(daemon, "Environment=DOTNET_TieredCompilation=0"),
            Is.LessThan(Array.IndexOf(daemon, "EnvironmentFile=-/etc/default/gradient-node")),
            "/etc/default/gradient-node comes later, so an operator can turn it back on there");
        Assert.That(proxy.Any(l => l.Contains("DOTNET_Tiered", StringComparison.Ordinal)), Is.False, "the proxy's hot path keeps tiered, profile-guided code");
    }

    [Test]
    public void Units_InlineSocketCompletions_ForTheProxyOnlyAndOverridable()
    {
        const string Setting = "Environment=DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1";
        var daemon = File.ReadAllLines(Path.Combine(ShellTool.RepoRoot(), "systemd", "gradient-node.service"));
        var proxy = File.ReadAllLines(Path.Combine(ShellTool.RepoRoot(), "systemd", "gradient-node-proxy.service"));

        Assert.That(proxy, Does.Contain(Setting));
        Assert.That(
            Array.IndexOf(proxy, Setting),
            Is.LessThan(Array.IndexOf(proxy, "EnvironmentFile=-/etc/default/gradient-node")),
            "/etc/default/gradient-node comes later, so an operator can turn it off there");
        Assert.That(daemon.Any(l => l.Contains("SOCKETS_INLINE", StringComparison.Ordinal)), Is.False, "the daemon's Docker, git and S3 clients keep the thread pool");
    }

    [TestCase("gradient-node.service")]
    [TestCase("gradient-node-proxy.service")]
    public void Unit_OomScoreAdjust_ContainersAndDockerdGoFirstButALeakIsStillKillable(string unit)
    {
        var lines = File.ReadAllLines(Path.Combine(ShellTool.RepoRoot(), "systemd", unit));
        var setting = lines.Single(l => l.StartsWith("OOMScoreAdjust=", StringComparison.Ordinal));
        var adjust = int.Parse(setting["OOMScoreAdjust=".Length..], System.Globalization.CultureInfo.InvariantCulture);

        Assert.Multiple(() =>
        {
            Assert.That(adjust, Is.LessThan(-500), "below dockerd's -500 (docker.service) and far below a container's 0");
            Assert.That(adjust, Is.GreaterThan(-1000), "-1000 would make a leaking node unkillable: the OOM killer would take everything else first");
        });
    }

    [Test]
    public void DaemonUnit_StopTimeout_AboveTheDaemonsOwnShutdown()
    {
        var lines = File.ReadAllLines(Path.Combine(ShellTool.RepoRoot(), "systemd", "gradient-node.service"));
        var stop = lines.Single(l => l.StartsWith("TimeoutStopSec=", StringComparison.Ordinal));

        Assert.That(TimeSpan.FromSeconds(int.Parse(stop["TimeoutStopSec=".Length..], System.Globalization.CultureInfo.InvariantCulture)), Is.GreaterThan(GradientNode.Daemon.Hosting.RoleRunner.StopGrace));
        Assert.That(lines, Does.Contain("StateDirectory=gradient"));
        Assert.That(lines, Does.Contain("ExecReload=/bin/kill -HUP $MAINPID"));
    }

    [Test]
    public async Task ApiSocket_Path_TheDaemonsDefaultSocketWithItsModeAndGroup()
    {
        // A socket unit at another path than the daemon's --socket is served by nothing (the daemon warns and binds its own).
        var socket = await File.ReadAllLinesAsync(Path.Combine(ShellTool.RepoRoot(), "systemd", "gradient-node.socket"));
        var defaults = new GradientNode.Daemon.Configuration.NodeOptions();

        Assert.Multiple(() =>
        {
            Assert.That(socket, Does.Contain($"ListenStream={defaults.Socket}"));
            Assert.That(socket, Does.Contain("SocketMode=0660"));
            Assert.That(socket, Does.Contain($"SocketGroup={defaults.SocketGroup}"));
            Assert.That(socket, Does.Contain("Service=gradient-node.service"));
            Assert.That(socket, Does.Contain("WantedBy=sockets.target"));
        });
    }

    [Test]
    public async Task ProxySocket_Ports_TheSameAsTheListenUrlsInstallShWritesToNodeYaml()
    {
        // A listen URL with no socket of its port binds its own and refuses connections while the proxy restarts.
        var socket = await File.ReadAllLinesAsync(Path.Combine(ShellTool.RepoRoot(), "systemd", "gradient-node-proxy.socket"));
        var install = await File.ReadAllTextAsync(Path.Combine(ShellTool.RepoRoot(), "install.sh"));
        var listenPorts = System.Text.RegularExpressions.Regex.Matches(install, @"^  - https?://0\.0\.0\.0:(\d+)$", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value);

        Assert.Multiple(() =>
        {
            Assert.That(socket.Where(l => l.StartsWith("ListenStream=", StringComparison.Ordinal)).Select(l => l["ListenStream=".Length..]), Is.EquivalentTo(listenPorts).And.Not.Empty);
            Assert.That(socket, Does.Contain("Service=gradient-node-proxy.service"));
            Assert.That(socket, Does.Contain("WantedBy=sockets.target"));
        });
    }
}
