using System.Text.RegularExpressions;
using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>A replica the real engine refuses to start, for a reason the spec gives it.</summary>
internal sealed partial class HealthEndToEndTests
{
    [Test]
    public async Task Start_CommandNotInTheImage_StatusNamesTheEngineRefusalAndAFixedSpecServes()
    {
        var node = await StartUpAsync();
        await node.WriteSpecAsync("web.yaml", SpecYaml.V1("refused", replicas: 1, top: "command: [\"/no/such/binary\", \"--serve\"]"));

        // dockerd creates the container and answers the start with HTTP 400 (runc cannot exec the command): an answer,
        // not an outage, so the status quotes it and announces the next attempt instead of "cannot reach".
        var failed = await node.WaitForStatusAsync(
            "refused",
            s => s.State == DeploymentState.Failed && s.Message.Contains("the Docker engine refused start container", StringComparison.Ordinal),
            "Failed with the engine's refusal of the start");
        Assert.Multiple(() =>
        {
            Assert.That(failed.Message, Does.StartWith("replica 0 could not be started: the Docker engine refused start container "));
            Assert.That(failed.Message, Does.Contain("(HTTP 400)"));
            Assert.That(failed.Message, Does.Contain("/no/such/binary"));
            Assert.That(failed.Message, Does.Match(@"attempt \d+ failed, next attempt in \d+s"));
            Assert.That(failed.Message, Does.Not.Contain("cannot reach"));
            Assert.That(FullContainerId().IsMatch(failed.Message), Is.False, "a container is named by its short id");
        });

        var listed = await node.CliAsync("ls");
        Assert.That(listed.Stdout, Does.Contain("the Docker engine refused start container"));

        // The loop is not stuck in its backoff: the fixed spec is served at once.
        await node.WriteSpecAsync("web.yaml", SpecYaml.V1("refused", replicas: 1));
        await node.WaitForStatusAsync("refused", s => s.State == DeploymentState.Ready, "Ready after the command is fixed");
        await node.WaitForRouteAsync("refused");
        Assert.That(node.IsRunning, Is.True);
    }

    [GeneratedRegex("[0-9a-f]{64}")]
    private static partial Regex FullContainerId();
}
