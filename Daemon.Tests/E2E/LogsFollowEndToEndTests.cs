using System.Text.RegularExpressions;
using GradientNode.Core.Engine;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// <c>logs NAME -f</c> (<c>GET /v1/deployments/{name}/logs?follow=true</c>) on the published binary follows the
/// deployment: a replica the node restarts after a crash is a new container, and its lines join the stream.
/// </summary>
[TestFixture]
[Category("E2E")]
[Parallelizable(ParallelScope.Self)]
internal sealed partial class LogsFollowEndToEndTests
{
    private DockerEngine _engine = null!;
    private GradientNodeProcess _node = null!;

    [SetUp]
    public async Task SetUp()
    {
        _engine = await TestEnvironment.RequireEngineAsync();
        _node = await GradientNodeProcess.StartAsync();
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
    public async Task Follow_ReplicaCrashesAndIsRestarted_StreamGoesOnWithTheNextContainerUntilTheDeploymentIsDeleted()
    {
        // Each run prints its container's host name (its id), then exits 3 after two seconds: a crash loop.
        await _node.WriteSpecAsync("crashy.yaml", SpecYaml.V1(
            "crashy",
            replicas: 1,
            top: "command: [\"/bin/sh\", \"-c\", \"echo run-$(hostname); sleep 2; exit 3\"]"));
        await TestTimeouts.WaitUntilAsync(
            async () => (await _node.ContainersAsync(_engine, "crashy", runningOnly: true)).Count > 0,
            TestTimeouts.Container,
            "the first replica running");

        using var http = _node.SocketClient();
        http.Timeout = Timeout.InfiniteTimeSpan;
        using var timeout = new CancellationTokenSource(TestTimeouts.Rollout);
        using var response = await http.GetAsync("v1/deployments/crashy/logs?follow=true", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.That(response.IsSuccessStatusCode, Is.True, response.ToString());
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));

        // One replica, followed: its lines are tagged, and the next container's tag differs from the first's.
        var runs = new Dictionary<string, string>(StringComparer.Ordinal);
        while (runs.Count < 2)
        {
            var line = await reader.ReadLineAsync(timeout.Token);
            Assert.That(line, Is.Not.Null, $"the followed stream ended after the runs {string.Join(", ", runs.Keys)}: it must go on with the replica's next container");
            if (RunLine().Match(line!) is { Success: true } run)
            {
                runs.TryAdd(run.Groups["run"].Value, run.Groups["tag"].Value);
            }
        }

        File.Delete(_node.SpecPath("crashy.yaml"));
        string? rest;
        do
        {
            rest = await reader.ReadLineAsync(timeout.Token);
        }
        while (rest is not null);

        Assert.Multiple(() =>
        {
            Assert.That(runs, Has.Count.EqualTo(2), "two runs, each its own container");
            Assert.That(runs.Values.First(), Is.EqualTo("[0]"), "the first container of replica 0");
            Assert.That(runs.Values.Last(), Does.Match(@"^\[0 [0-9a-f]{6}\]$"), "the next container of replica 0, told apart by its name's suffix");
        });
    }

    [GeneratedRegex(@"^(?<tag>\[0( [0-9a-f]{6})?\]) (?<run>run-.+)$")]
    private static partial Regex RunLine();
}
