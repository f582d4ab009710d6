using System.Net;
using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// A deployment deleted while its replica still stops has no spec left to name its secrets: `logs` served what the
/// replica printed of them unmasked (no spec, no mask). Now every secret's value is hidden then.
/// </summary>
internal sealed partial class SecretsAndRegistriesTests
{
    [Test]
    public async Task Logs_DeploymentDeletedWhileItsReplicaStillStops_WhatItPrintedOfItsSecretStaysMasked()
    {
        var set = await _node.CliWithInputAsync(SecretValue + "\n", "secrets", "set", "api_token");
        Assert.That(set.ExitCode, Is.Zero, set.ToString());

        // PID 1 ignores SIGTERM: the engine kills it only after the node's 10 s stop grace, so its logs outlive its spec.
        await _node.WriteSpecAsync("app.yaml", SpecYaml.V1("going", replicas: 1, extra: "env:\n  - name: TOKEN\n    value: secret:api_token", top: "command: [\"/bin/sh\", \"-c\", \"echo token=$TOKEN; trap '' TERM; exec httpd -f -p 8080 -h /www\"]"));
        await _node.WaitForStatusAsync("going", s => s.State == DeploymentState.Ready, "Ready");
        CliResult before = null!;
        await TestTimeouts.WaitUntilAsync(
            async () => (before = await _node.CliAsync("logs", "going")).Stdout.Contains("token=", StringComparison.Ordinal),
            TestTimeouts.Short,
            "the replica's echo in logs");

        var deleted = await _node.CliAsync("delete", "going");
        Assert.That(deleted.ExitCode, Is.Zero, deleted.ToString());
        using var api = _node.SocketClient();
        await TestTimeouts.WaitUntilAsync(
            async () => (await api.GetAsync("v1/deployments/going/spec")).StatusCode == HttpStatusCode.NotFound,
            TestTimeouts.Short,
            "the node to drop the deleted spec");
        var after = await _node.CliAsync("logs", "going");

        Assert.Multiple(() =>
        {
            Assert.That(before.Stdout, Does.Contain("token=***"));
            Assert.That(after.ExitCode, Is.Zero, $"the replica still stops, so its logs are served: {after}");
            Assert.That(after.Stdout, Does.Contain("token=***"), "what the replica echoes of its secret is masked without its spec");
        });
        AssertNoLeak(SecretValue, before, after);
    }
}
