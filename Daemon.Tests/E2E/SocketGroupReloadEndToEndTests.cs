using System.Security.Cryptography;
using GradientNode.Tests.Infrastructure;
using GradientNode.Tests.Install;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// The published daemon started with a socket group that does not exist yet keeps the socket in root's group; once the
/// group is created, a reload (SIGHUP) gives the socket that group, as the CLI's permission message says. Before, only a
/// changed <c>socketGroup</c> was applied on reload, so the new group took effect only at a restart.
/// </summary>
[TestFixture]
[Category("E2E")]
[NonParallelizable]
public sealed class SocketGroupReloadEndToEndTests
{
    private readonly List<GradientNodeProcess> _processes = [];
    private readonly List<string> _cleanup = [];

    [TearDown]
    public async Task TearDown()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        _processes.Clear();
        foreach (var command in _cleanup)
        {
            await ShellTool.RunAsync("/bin/sh", ["-c", command]);
        }

        _cleanup.Clear();
    }

    [Test]
    public async Task Reload_SocketGroupCreatedAfterTheStart_GivesTheSocketThatGroup()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        TestEnvironment.RequireRoot("needs root to create a throwaway group");
        var group = $"gn-test-g{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";
        _cleanup.Add($"groupdel {group}");

        var daemon = GradientNodeProcess.Prepare().Sibling("daemon");
        _processes.Add(daemon);
        await daemon.StartAsync(extraArgs: ["--socket-group", group]);
        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(File.GetUnixFileMode(daemon.Socket).HasFlag(UnixFileMode.GroupWrite)), TestTimeouts.Short, "the socket's mode to be set");
        Assert.That(await GroupOfAsync(daemon.Socket), Is.EqualTo("root"), "the group did not exist at the start");

        var (created, output) = await ShellTool.RunAsync("groupadd", ["--system", group]);
        Assert.That(created, Is.Zero, output);
        daemon.Signal(1); // SIGHUP: systemctl reload gradient-node

        string? now = null;
        await TestTimeouts.WaitUntilAsync(async () => (now = await GroupOfAsync(daemon.Socket)) == group, TestTimeouts.Short, () => $"the socket's group to become {group} (it is {now})");
    }

    private static async Task<string> GroupOfAsync(string path)
    {
        var (code, output) = await ShellTool.RunAsync("stat", ["-c", "%G", path]);
        Assert.That(code, Is.Zero, output);
        return output.Trim();
    }
}
