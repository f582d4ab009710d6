using System.Diagnostics;
using System.Text.RegularExpressions;
using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// <c>logs NAME -f</c> through a rollout and a daemon restart: each container keeps its tag, and no line is printed twice
/// or missed. Before, the daemon numbered each stream anew, so the rollout's new container, alone once the old one was
/// removed, came back as <c>[0]</c>, and its lines since the old container's last one were printed again under it.
/// </summary>
internal sealed partial class LogsFollowEndToEndTests
{
    // Each container prints a counter with an id of its own, five lines a second, and serves as the test image does.
    private const string Ticking = "command: [\"/bin/sh\", \"-c\", \"(id=$(cut -c1-8 /proc/sys/kernel/random/uuid); i=0; while true; do i=$((i+1)); echo tick-$id-$i; sleep 0.2; done) & exec /bin/serve\"]";

    [Test]
    public async Task LogsFollow_RolloutThenDaemonRestart_EachContainerKeepsItsTagAndEveryLinePrintsOnce()
    {
        await _node.WriteSpecAsync("talk.yaml", SpecYaml.V1("talk", replicas: 1, top: Ticking, extra: "env:\n  - name: V\n    value: \"1\""));
        var first = await _node.WaitForStatusAsync("talk", s => s.State == DeploymentState.Ready, "Ready", TestTimeouts.Rollout);
        var lines = new OutputLines();
        var errors = new OutputLines();
        using var follow = StartLogsFollow("talk", lines, errors);
        try
        {
            var oldId = Ticks(await lines.WaitForAsync(l => Tick().IsMatch(l), TestTimeouts.Container)).Container;

            // A rollout: the new container's lines join the stream beside the old one's, then the old one is removed.
            await _node.WriteSpecAsync("talk.yaml", SpecYaml.V1("talk", replicas: 1, top: Ticking, extra: "env:\n  - name: V\n    value: \"2\""));
            var newId = Ticks(await lines.WaitForAsync(l => Tick().IsMatch(l) && Ticks(l).Container != oldId, TestTimeouts.Rollout)).Container;
            await _node.WaitForStatusAsync("talk", s => s.State == DeploymentState.Ready && s.SpecHash != first.SpecHash && s.Replicas.Count == 1, "rolled out, the old container removed", TestTimeouts.Rollout);
            await TestTimeouts.WaitUntilAsync(async () => (await _node.ContainersAsync(_engine, "talk", runningOnly: false)).Count == 1, TestTimeouts.Rollout, "the old container gone");

            await _node.StopAsync();
            var lastBefore = lines.Lines.Where(l => Tick().IsMatch(l) && Ticks(l).Container == newId).Max(l => Ticks(l).Count);
            await _node.StartAsync([]);
            await lines.WaitForAsync(l => Tick().IsMatch(l) && Ticks(l).Container == newId && Ticks(l).Count >= lastBefore + 10, TestTimeouts.Rollout);
        }
        finally
        {
            follow.Kill();
            await follow.WaitForExitAsync().WaitAsync(TestTimeouts.Container);
        }

        var ticks = lines.Lines.Where(l => Tick().IsMatch(l)).ToList();
        var byContainer = ticks.GroupBy(l => Ticks(l).Container).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Multiple(() =>
        {
            Assert.That(byContainer, Has.Count.EqualTo(2), lines.Text);
            Assert.That(ticks, Is.Unique, "no line printed twice: " + lines.Text);
            foreach (var (container, own) in byContainer)
            {
                Assert.That(own.Select(l => Ticks(l).Tag).Distinct(), Has.Exactly(1).Items, $"container {container} keeps one tag across the restart: " + string.Join('\n', own));
                var counts = own.Select(l => Ticks(l).Count).ToList();
                Assert.That(counts, Is.EqualTo(Enumerable.Range(counts[0], counts.Count)), $"container {container}: no line missed or repeated: " + string.Join(' ', counts));
            }

            var tags = byContainer.Values.Select(own => Ticks(own[0]).Tag).ToList();
            Assert.That(tags, Has.Exactly(1).EqualTo("[0]").And.Exactly(1).Matches(@"^\[0 [0-9a-f]{6}\]$"), "the first container of replica 0 is [0], the next [0 SUFFIX]");
            Assert.That(errors.Text, Does.Contain("still following"), "the cut was the daemon's restart");
        });
    }

    private static (string Tag, string Container, int Count) Ticks(string line)
    {
        var match = Tick().Match(line);
        return (match.Groups["tag"].Value, match.Groups["id"].Value, int.Parse(match.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    private Process StartLogsFollow(string name, OutputLines lines, OutputLines errors)
    {
        var start = new ProcessStartInfo(GradientNodeProcess.BinaryPath()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])["--socket", _node.Socket, "logs", name, "-f"])
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => lines.Add(e.Data);
        process.ErrorDataReceived += (_, e) => errors.Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    [GeneratedRegex(@"^(?<tag>\[0( [0-9a-f]{6})?\]) tick-(?<id>[0-9a-f]{8})-(?<n>\d+)$")]
    private static partial Regex Tick();
}
