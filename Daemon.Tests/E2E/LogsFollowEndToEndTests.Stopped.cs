using System.Text.RegularExpressions;
using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// <c>logs NAME -f</c> when one replica's container goes: one line on stderr says which replica stopped and why, and the
/// others are followed on; a replica that comes back joins the stream. Before (newuser15's finding, proxy19), the stopped
/// replica's lines just ended, without a word.
/// </summary>
internal sealed partial class LogsFollowEndToEndTests
{
    [Test]
    public async Task LogsFollow_OneReplicaScaledDownThenBack_SaysItStoppedAndWhyFollowsTheOtherAndTheNewOneJoins()
    {
        await _node.WriteSpecAsync("pair.yaml", SpecYaml.V1("pair", replicas: 2, top: Ticking));
        await _node.WaitForStatusAsync("pair", s => s.State == DeploymentState.Ready && s.ReadyReplicas == 2, "Ready 2/2", TestTimeouts.Rollout);
        var lines = new OutputLines();
        var errors = new OutputLines();
        using var follow = StartLogsFollow("pair", lines, errors);
        try
        {
            await lines.WaitForAsync(l => l.StartsWith("[1] tick-", StringComparison.Ordinal), TestTimeouts.Container);
            Assert.That((await _node.CliAsync("scale", "pair", "1")).ExitCode, Is.Zero);

            await errors.WaitForAsync(l => l == "[1] (replica 1 stopped: scaled down to 1)", TestTimeouts.Rollout);
            var seen = lines.Lines.Count;
            await lines.WaitForAsync(l => lines.Lines.Count > seen + 5 && Tick().IsMatch(l), TestTimeouts.Container);

            Assert.That((await _node.CliAsync("scale", "pair", "2")).ExitCode, Is.Zero);
            await lines.WaitForAsync(l => Regex.IsMatch(l, @"^\[1 [0-9a-f]{6}\] tick-"), TestTimeouts.Rollout);
        }
        finally
        {
            follow.Kill();
            await follow.WaitForExitAsync().WaitAsync(TestTimeouts.Container);
        }

        Assert.Multiple(() =>
        {
            Assert.That(lines.Lines.Where(l => !Tick().IsMatch(l) && !Regex.IsMatch(l, @"^\[\d+( [0-9a-f]{6})?\] tick-")), Is.Empty, "stdout holds the log alone: " + lines.Text);
            Assert.That(errors.Lines.Count(l => l.Contains("stopped", StringComparison.Ordinal)), Is.EqualTo(1), "one line for the one replica that stopped: " + errors.Text);
        });
    }

    [Test]
    public async Task LogsFollow_ReplicaCrashes_SaysItStoppedWithItsExitCode()
    {
        await _node.WriteSpecAsync("crashes.yaml", SpecYaml.V1("crashes", replicas: 1, top: "command: [\"/bin/sh\", \"-c\", \"echo up; sleep 3; exit 3\"]"));
        await TestTimeouts.WaitUntilAsync(
            async () => (await _node.ContainersAsync(_engine, "crashes", runningOnly: true)).Count > 0,
            TestTimeouts.Container,
            "the first replica running");
        var lines = new OutputLines();
        var errors = new OutputLines();
        using var follow = StartLogsFollow("crashes", lines, errors);
        try
        {
            await errors.WaitForAsync(l => l == "[0] (replica 0 stopped: exited with code 3)", TestTimeouts.Rollout);
        }
        finally
        {
            follow.Kill();
            await follow.WaitForExitAsync().WaitAsync(TestTimeouts.Container);
        }

        Assert.That(lines.Lines, Does.Contain("[0] up"), lines.Text);
    }
}
