using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// `secrets set` does not restart replicas: one started with the old value keeps it and may print it. `logs` masked only
/// the store's value now, so the old one showed (a known issue until the fourth adversary review). Now a replica's old
/// values stay masked for as long as its deployment has containers, a daemon restart included.
/// </summary>
internal sealed partial class SecretsAndRegistriesTests
{
    private const string NewSecretValue = "n3w-V4lue-that-must-not-leak-either";

    [Test]
    public async Task Logs_SecretSetWhileAReplicaPrintsItsOldValue_NeitherOldNorNewValueShowsAlsoAfterADaemonRestart()
    {
        var set = await _node.CliWithInputAsync(SecretValue + "\n", "secrets", "set", "api_token");
        Assert.That(set.ExitCode, Is.Zero, set.ToString());
        await _node.WriteSpecAsync("app.yaml", SpecYaml.V1("rotating", replicas: 1, extra: "env:\n  - name: TOKEN\n    value: secret:api_token", top: "command: [\"/bin/sh\", \"-c\", \"(while true; do echo token=$TOKEN; sleep 1; done) & exec /bin/serve\"]"));
        await _node.WaitForStatusAsync("rotating", s => s.State == DeploymentState.Ready, "Ready");
        var printed = await LinesPrintedAsync(0, "the replica's first echo");

        var rotated = await _node.CliWithInputAsync(NewSecretValue + "\n", "secrets", "set", "api_token");
        Assert.That(rotated.ExitCode, Is.Zero, rotated.ToString());
        printed = await LinesPrintedAsync(printed, "an echo of the old value after the set");
        var afterSet = await _node.CliAsync("logs", "rotating");
        var status = await _node.CliAsync("get", "rotating");

        await _node.StopAsync();
        await _node.StartAsync(extraArgs: []);
        await LinesPrintedAsync(printed, "an echo after the daemon restart");
        var afterRestart = await _node.CliAsync("logs", "rotating");

        Assert.Multiple(() =>
        {
            Assert.That(afterSet.Stdout, Does.Contain("token=***"), "the replica still prints the value it was started with");
            Assert.That(afterRestart.Stdout, Does.Contain("token=***"));
        });
        AssertNoLeak(SecretValue, afterSet, status, afterRestart);
        AssertNoLeak(NewSecretValue, afterSet, status, afterRestart);
    }

    /// <summary>Waits until the replica has printed more than <paramref name="seen"/> <c>token=</c> lines; returns how many.</summary>
    private async Task<int> LinesPrintedAsync(int seen, string what)
    {
        var count = 0;
        await TestTimeouts.WaitUntilAsync(
            async () => (count = (await _node.CliAsync("logs", "rotating")).Stdout.Split('\n').Count(l => l.Contains("token=", StringComparison.Ordinal))) > seen,
            TestTimeouts.Short,
            what);
        return count;
    }
}
