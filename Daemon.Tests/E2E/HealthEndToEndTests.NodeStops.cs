using System.Globalization;
using GradientNode.Core.Reconciliation;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>A replica the node stopped for a failed liveness probe says so in its own line, also after a daemon restart.</summary>
internal sealed partial class HealthEndToEndTests
{
    [Test]
    public async Task Liveness_StoppedReplicaAfterADaemonRestart_ItsLineStillSaysStoppedByTheNode()
    {
        var node = await StartUpAsync();
        await node.WriteSpecAsync("web.yaml", SpecYaml.V1("halt", replicas: 1, extra: Probes("liveness", "/cgi-bin/status?500", period: 1, threshold: 1)));

        // The third stop backs off 20 s: time enough to restart the daemon while the stopped container is still there.
        await node.WaitForStatusAsync(
            "halt",
            s => s.Replicas.Any(r => r.State == "exited") && BackoffSeconds(s.Message) >= 15,
            "a replica stopped by its liveness probe, restarting in 15 s or more",
            TestTimeouts.Rollout);
        await node.StopAsync();
        await node.StartAsync(extraArgs: []);

        var after = await node.WaitForStatusAsync("halt", s => s.Replicas.Any(r => r.State == "exited"), "the stopped replica after the restart");
        var get = await node.CliAsync("get", "halt");

        TestContext.Out.WriteLine(get.Stdout);
        var stopped = after.Replicas.First(r => r.State == "exited");
        Assert.Multiple(() =>
        {
            Assert.That(stopped.StateMessage, Does.StartWith($"{StatusBuilder.StoppedByTheNode}liveness probe failed"), after.Message);
            Assert.That(after.Message, Does.Contain("replica 0 was stopped by the node: liveness probe failed"));
            Assert.That(get.Stdout.Split('\n').Single(l => l.StartsWith("halt-0 ", StringComparison.Ordinal) && l.Contains("exited", StringComparison.Ordinal)),
                Does.Contain("stopped by the node: liveness probe failed"), get.ToString());
        });
    }

    private static int BackoffSeconds(string message) =>
        BackoffPattern().Match(message) is { Success: true } m ? int.Parse(m.Value["restarting in ".Length..^1], CultureInfo.InvariantCulture) : 0;
}
