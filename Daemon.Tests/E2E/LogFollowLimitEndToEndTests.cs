using GradientNode.Core.Engine;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// The published binary with <c>--max-log-follows 2</c> against the dev dockerd: every followed container log takes
/// one of the engine's inotify instances (root's, 128 by default), so the node follows at most so many at once. A
/// follow past it is refused naming the setting, a plain <c>logs</c> still works, and a place freed is taken again.
/// </summary>
[TestFixture]
[Category("E2E")]
[NonParallelizable]
internal sealed class LogFollowLimitEndToEndTests
{
    private const string Sleepy = """
        jobs:
          nap:
            uses: container@v1
            with:
              image: gradient-test/web:1
              args: [sh, -c, "echo napping; sleep 600"]
        """;

    private DockerEngine? _engine;
    private GradientNodeProcess? _node;

    [TearDown]
    public async Task TearDown()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
            _node = null;
        }

        _engine?.Dispose();
        _engine = null;
    }

    [Test]
    public async Task LogsFollow_PastMaxLogFollows_RefusedNamingTheSettingPlainLogsServedAndAFreedPlaceTakenAgain()
    {
        _engine = await TestEnvironment.RequireEngineAsync();
        _node = GradientNodeProcess.Prepare();
        await _node.StartAsync(extraArgs: ["--max-log-follows", "2"]);
        await _node.WriteSpecAsync("two.yaml", SpecYaml.V1("two", replicas: 2));
        await TestTimeouts.WaitUntilAsync(
            async () => (await _node.ContainersAsync(_engine, "two", runningOnly: true)).Count == 2,
            TestTimeouts.Container,
            "both replicas running");

        using var http = _node.SocketClient();
        http.Timeout = Timeout.InfiniteTimeSpan;
        using var timeout = new CancellationTokenSource(TestTimeouts.Rollout);
        var first = await http.GetAsync("v1/deployments/two/logs?follow=true", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.That(first.IsSuccessStatusCode, Is.True, first.ToString());

        // Before: no limit; every follow took two more of root's inotify instances in dockerd.
        var second = await _node.CliAsync("logs", "two", "-f");
        var plain = await _node.CliAsync("logs", "two");
        var file = Path.Combine(_node.Root, "sleepy.yaml");
        await File.WriteAllTextAsync(file, Sleepy);
        var run = await _node.CliAsync("workflows", "run", "-f", file);
        var workflow = await _node.CliAsync("workflows", "logs", "sleepy", "1", "-f");

        first.Dispose(); // the client goes away: its two places are given back
        await TestTimeouts.WaitUntilAsync(
            async () =>
            {
                using var again = await http.GetAsync("v1/deployments/two/logs?follow=true", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                return again.IsSuccessStatusCode;
            },
            TestTimeouts.Container,
            "a follow served again once the first one ended");
        await _node.CliAsync("workflows", "cancel", "sleepy", "1");

        Assert.Multiple(() =>
        {
            Assert.That(second.ExitCode, Is.EqualTo(1), second.ToString());
            Assert.That(second.Stderr, Does.Contain("at most 2 at once (--max-log-follows)").And.Contain("following 2 more does not fit"), second.ToString());
            Assert.That(plain.ExitCode, Is.Zero, "logs without -f is not counted: " + plain);
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(workflow.ExitCode, Is.EqualTo(1), workflow.ToString());
            Assert.That(workflow.Stderr, Does.Contain("(--max-log-follows): following 1 more does not fit"), workflow.ToString());
        });
    }
}
