using Docker.DotNet;
using GradientNode.Core.Engine;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Engine;

/// <summary>The network port against the real dockerd: the node's replica network is made and found through it.</summary>
internal sealed partial class DockerEngineTests
{
    [Test]
    public async Task CreateNetworkAsync_BridgeWithoutInterContainerTraffic_FoundByExactNameWithItsOptionsAndHostInterface()
    {
        var name = $"gn-test-{_case}";
        using var docker = new DockerClientBuilder().WithEndpoint(new Uri(TestEnvironment.DockerHost)).Build();
        var ids = new List<string>();
        try
        {
            ids.Add(await _engine.CreateNetworkAsync(
                new NetworkCreateRequest(name)
                {
                    Options = new Dictionary<string, string> { [NetworkDetails.InterContainerOption] = "false" },
                    Labels = new Dictionary<string, string> { [TestEnvironment.RunLabel] = TestEnvironment.RunId },
                },
                Token()));
            ids.Add(await _engine.CreateNetworkAsync(new NetworkCreateRequest(name + "-longer"), Token()));

            var found = await _engine.FindNetworksAsync(name, Token());

            var network = found.Single();
            Assert.Multiple(() =>
            {
                Assert.That(network.Id, Is.EqualTo(ids[0]));
                Assert.That(network.Driver, Is.EqualTo("bridge"));
                Assert.That(network.InterContainerBlocked, Is.True);
                Assert.That(network.Labels[TestEnvironment.RunLabel], Is.EqualTo(TestEnvironment.RunId));
                Assert.That(network.BridgeInterface, Is.EqualTo("br-" + ids[0][..12]));
                Assert.That(Directory.Exists($"/sys/class/net/{network.BridgeInterface}"), Is.True, "the engine's bridge on the host");
            });
        }
        finally
        {
            foreach (var id in ids)
            {
                await docker.Networks.DeleteNetworkAsync(id);
            }
        }
    }

    [Test]
    public async Task FindNetworksAsync_NoSuchName_Empty() =>
        Assert.That(await _engine.FindNetworksAsync($"gn-test-none-{_case}", Token()), Is.Empty);
}
