using GradientNode.Daemon.Cli;
using NUnit.Framework;

namespace GradientNode.Tests.Configuration;

/// <summary>The replica network: its default, the three ways to name another, and the names refused.</summary>
internal sealed partial class NodeOptionsLoaderTests
{
    [Test]
    public void Load_NothingSet_ReplicasJoinTheNodesOwnNetwork() =>
        Assert.That(Load(["--config", _emptyConfig]).ReplicaNetwork, Is.EqualTo("gradient-node"));

    [Test]
    public void Load_ReplicaNetworkFromFileEnvAndFlag_FlagThenEnvThenFile()
    {
        var config = WriteConfig("replicaNetwork: models\n");

        Assert.Multiple(() =>
        {
            Assert.That(Load(["--config", config]).ReplicaNetwork, Is.EqualTo("models"));
            Assert.That(Load(["--config", config], new Dictionary<string, string> { ["GRADIENT_REPLICA_NETWORK"] = "from-env" }).ReplicaNetwork, Is.EqualTo("from-env"));
            Assert.That(Load(["--config", config, "--replica-network", "bridge"]).ReplicaNetwork, Is.EqualTo("bridge"));
        });
    }

    [TestCase("host", "replicas need an address of their own on a bridge")]
    [TestCase("none", "replicas need an address of their own on a bridge")]
    [TestCase("-x", "wants a network name")]
    [TestCase("a b", "wants a network name")]
    [TestCase("net/../x", "wants a network name")]
    public void Load_ReplicaNetworkTheProxyCannotReach_UsageErrorSaysWhy(string name, string why)
    {
        var error = Assert.Throws<UsageException>(() => Load(["--config", _emptyConfig, "--replica-network", name]));

        Assert.That(error!.Message, Does.StartWith("--replica-network").And.Contain(why));
    }
}
