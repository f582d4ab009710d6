using System.Diagnostics;
using System.Security.Cryptography;
using GradientNode.Tests.Infrastructure;
using GradientNode.Tests.Install;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// The published binary with <c>--max-log-follows 4</c> (one place kept for root, three for the socket group, two at
/// most per member) and a real member of its socket group (a throwaway user; a perl client run through setpriv, which
/// prints the answer as it comes, headers first: curl holds them back until the first body line): a member's
/// follow past its share is refused naming its share, the setting and who holds it, root is still served while the
/// member holds all it may, and a member's places come back when its stream ends. Before, every caller counted
/// against one pool: the member took three places and root's two-replica follow was refused.
/// </summary>
[TestFixture]
[Category("E2E")]
[NonParallelizable]
internal sealed class LogFollowSharesEndToEndTests
{
    private const string Client = """
        use IO::Socket::UNIX; use Socket;
        my ($path, $target) = @ARGV;
        my $c = IO::Socket::UNIX->new(Type => SOCK_STREAM(), Peer => $path) or die "connect $path: $!\n";
        print $c "GET $target HTTP/1.1\r\nHost: gradient-node\r\nConnection: close\r\n\r\n";
        $| = 1; while (my $l = <$c>) { print $l; }
        """;

    private readonly List<string> _cleanup = [];
    private GradientNodeProcess? _node;
    private Process? _held;

    [TearDown]
    public async Task TearDown()
    {
        if (_held is { HasExited: false })
        {
            _held.Kill();
        }

        _held?.Dispose();
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }

        foreach (var command in _cleanup)
        {
            await ShellTool.RunAsync("/bin/sh", ["-c", command]);
        }

        _cleanup.Clear();
    }

    [Test]
    public async Task LogsFollow_MemberPastItsShare_RefusedNamingShareSettingAndHolderWhileRootIsServed()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        var setpriv = ShellTool.Require("setpriv", "util-linux");
        var perl = ShellTool.Require("perl", "perl-base");
        TestEnvironment.RequireRoot("needs root to create a throwaway member of the socket group");
        var (group, member, _) = await ThrowawayUsers.CreateAsync(_cleanup);

        var uid = (await ShellTool.RunAsync("id", ["-u", member])).Output.Trim();
        _node = GradientNodeProcess.Prepare();
        await _node.StartAsync(extraArgs: ["--socket-group", group, "--max-log-follows", "4"]);
        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(File.GetUnixFileMode(_node.Socket).HasFlag(UnixFileMode.GroupWrite)), TestTimeouts.Short, "the socket's mode to be set");
        foreach (var dir in new[] { _node.Root, _node.RunDir })
        {
            File.SetUnixFileMode(dir, File.GetUnixFileMode(dir) | UnixFileMode.OtherExecute); // the member reaches the socket by its group
        }

        await _node.WriteSpecAsync("two.yaml", SpecYaml.V1("two", replicas: 2));
        await TestTimeouts.WaitUntilAsync(
            async () => (await _node.ContainersAsync(engine, "two", runningOnly: true)).Count == 2,
            TestTimeouts.Container,
            "both replicas running");
        string[] AsMember(string path) =>
            [$"--reuid={member}", $"--regid={member}", "--init-groups", perl, "-e", Client, _node.Socket, path];

        // The member follows both replicas: its whole share (2).
        _held = Process.Start(Start(setpriv, AsMember("/v1/deployments/two/logs?follow=true")))!;
        var status = await _held.StandardOutput.ReadLineAsync().WaitAsync(TestTimeouts.Container);
        Assert.That(status, Does.StartWith("HTTP/1.1 200"), "the member's first follow is served");

        var (_, pastShare) = await ShellTool.RunAsync(setpriv, AsMember("/v1/deployments/two/logs?follow=true&replica=0"));
        using var http = _node.SocketClient();
        http.Timeout = Timeout.InfiniteTimeSpan;
        using var rootFollow = await http.GetAsync("v1/deployments/two/logs?follow=true", HttpCompletionOption.ResponseHeadersRead);
        using var rootPastLimit = await http.GetAsync("v1/deployments/two/logs?follow=true&replica=0", HttpCompletionOption.ResponseHeadersRead);
        var rootRefusal = await rootPastLimit.Content.ReadAsStringAsync();

        _held.Kill();
        await _held.WaitForExitAsync().WaitAsync(TestTimeouts.Short);
        string? again = null;
        await TestTimeouts.WaitUntilAsync(
            async () =>
            {
                using var follow = Process.Start(Start(setpriv, AsMember("/v1/deployments/two/logs?follow=true&replica=0")))!;
                again = await follow.StandardOutput.ReadLineAsync().WaitAsync(TestTimeouts.Container);
                if (!follow.HasExited)
                {
                    follow.Kill();
                }

                await follow.WaitForExitAsync();
                return again?.StartsWith("HTTP/1.1 200", StringComparison.Ordinal) == true;
            },
            TestTimeouts.Container,
            () => $"the member's places to come back once its stream ended: {again}");

        Assert.Multiple(() =>
        {
            Assert.That(pastShare, Does.StartWith("HTTP/1.1 503"), pastShare);
            Assert.That(pastShare, Does.Contain($"uid {uid} ({member}) follows 2 container logs now, and a user other than root at most 2 at once (half of the 3 that --max-log-follows 4 leaves to the socket group; 1 are kept for root): following 1 more does not fit"), pastShare);
            Assert.That((int)rootFollow.StatusCode, Is.EqualTo(200), "root is served while the member holds all it may");
            Assert.That((int)rootPastLimit.StatusCode, Is.EqualTo(503), rootRefusal);
            Assert.That(rootRefusal, Does.StartWith("the node follows 4 container logs now and at most 4 at once (--max-log-follows): following 1 more does not fit; held by uid 0 (root): 2, "
                + $"uid {uid} ({member}): 2;"), rootRefusal);
            Assert.That(_node.IsRunning, Is.True, _node.Output);
        });
    }

    private static ProcessStartInfo Start(string file, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }
}
