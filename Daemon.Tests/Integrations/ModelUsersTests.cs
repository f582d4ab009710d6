using GradientNode.Core.Engine;
using GradientNode.Core.Integrations;
using NUnit.Framework;

namespace GradientNode.Tests.Integrations;

[TestFixture]
[Category("Unit")]
internal sealed class ModelUsersTests
{
    private const string Root = "/var/lib/gradient/models";

    [Test]
    public void Of_ReplicaMountsAVersionOfTheModel_NamesTheDeploymentAndReplica()
    {
        var users = ModelUsers.Of([Replica("mdl", "0", "running", $"{Root}/tiny/1"), Replica("mdl", "1", "running", $"{Root}/tiny/1")], Root, "tiny");

        Assert.That(users, Is.EqualTo(new[] { "deployment 'mdl' replica 0", "deployment 'mdl' replica 1" }));
    }

    [Test]
    public void Of_StoppedReplica_StillInUseTheNodeRestartsIt()
    {
        Assert.That(ModelUsers.Of([Replica("mdl", "0", "exited", $"{Root}/tiny/2")], Root, "tiny"), Has.Count.EqualTo(1));
    }

    [Test]
    public void Of_OtherModelWithALongerNameOrNoMount_NotInUse()
    {
        var containers = new[]
        {
            Replica("a", "0", "running", $"{Root}/tiny-chat/1"),
            Replica("b", "0", "running", "/var/lib/gradient/volumes/cache/abc"),
            new ContainerSummary("id", "stray", "web:1", new Dictionary<string, string>(), "exited", "Exited (0)", DateTimeOffset.UnixEpoch) { Mounts = [new BindMount($"{Root}/tiny/1", "/opt/m", true)] },
        };

        Assert.That(ModelUsers.Of(containers, Root, "tiny"), Is.Empty, "tiny-chat is another model; a stopped container of no deployment is never started again");
    }

    private static ContainerSummary Replica(string deployment, string index, string state, string source) =>
        new($"id-{deployment}-{index}", $"gradient-{deployment}-{index}", "web:1", new Dictionary<string, string>
        {
            [ContainerLabels.Deployment] = deployment,
            [ContainerLabels.Replica] = index,
        }, state, state, DateTimeOffset.UnixEpoch)
        { Mounts = [new BindMount(source, "/opt/models/llm", true)] };
}
