using GradientNode.Core.Status;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary><c>scale</c> through the published binary: the count as the last word or as <c>--replicas</c>.</summary>
internal sealed partial class DeployToolTests
{
    [Test]
    public async Task Scale_CountAsTheLastWordThenByOption_EditsTheSpecAndTheReplicasFollow()
    {
        await _node.WriteSpecAsync("scale-me.yaml", SpecYaml.V1("scale me", replicas: 1));
        await _node.WaitForStatusAsync("scale me", s => s.State == DeploymentState.Ready, "Ready with 1");

        var up = await _node.CliAsync("scale", "scale", "me", "2");

        Assert.That(up.ExitCode, Is.Zero, up.ToString());
        Assert.That(up.Stdout, Does.Contain("'scale me' scaled to 2 replicas"));
        Assert.That(await File.ReadAllTextAsync(_node.SpecPath("scale-me.yaml")), Does.Contain("replicas: 2"));
        await _node.WaitForStatusAsync("scale me", s => s.State == DeploymentState.Ready && s.ReadyReplicas == 2, "Ready with 2");

        var down = await _node.CliAsync("scale", "scale", "me", "--replicas", "1");
        var missing = await _node.CliAsync("scale", "scale", "me");
        var negative = await _node.CliAsync("scale", "scale", "me", "-1");

        Assert.Multiple(() =>
        {
            Assert.That(down.ExitCode, Is.Zero, down.ToString());
            Assert.That(down.Stdout, Does.Contain("'scale me' scaled to 1 replica"));
            Assert.That(missing.ExitCode, Is.EqualTo(2), missing.ToString());
            Assert.That(missing.Stderr, Does.Contain("scale needs a count: scale NAME N, or scale NAME --replicas N"));
            Assert.That(negative.ExitCode, Is.EqualTo(2), negative.ToString());
            Assert.That(negative.Stderr, Does.Contain("the count must be a whole number from 0 to 64, not '-1'"), "not \"unknown option -1\"");
        });
    }
}
