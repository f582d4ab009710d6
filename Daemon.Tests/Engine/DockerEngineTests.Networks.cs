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

    [Test]
    public async Task RemoveNetworkIfUnusedAsync_StoppedContainerOnIt_KeptUntilTheContainerIsGone()
    {
        using var docker = new DockerClientBuilder().WithEndpoint(new Uri(TestEnvironment.DockerHost)).Build();
        var id = await _engine.CreateNetworkAsync(
            new NetworkCreateRequest($"gn-test-{_case}") { Labels = new Dictionary<string, string> { [TestEnvironment.RunLabel] = TestEnvironment.RunId } },
            Token());
        try
        {
            // Created, never started: no endpoint for the engine to refuse on, yet it would not start without its network.
            var container = await docker.Containers.CreateContainerAsync(
                new Docker.DotNet.Models.CreateContainerParameters
                {
                    Name = NewName(),
                    Image = TestEnvironment.WebImage,
                    Labels = new Dictionary<string, string> { [TestEnvironment.RunLabel] = TestEnvironment.RunId, [CaseLabel] = _case },
                    HostConfig = new Docker.DotNet.Models.HostConfig { NetworkMode = id },
                },
                Token());
            _created.Add(container.ID);

            var network = (await _engine.FindNetworksAsync($"gn-test-{_case}", Token())).Single();
            var whileThere = await _engine.RemoveNetworkIfUnusedAsync(network, Token());
            await _engine.RemoveContainerAsync(container.ID, force: true, Token());
            var afterwards = await _engine.RemoveNetworkIfUnusedAsync(network, Token());
            var again = await _engine.RemoveNetworkIfUnusedAsync(network, Token());

            Assert.Multiple(async () =>
            {
                Assert.That(whileThere, Is.False, "kept while a container is on it");
                Assert.That(afterwards, Is.True);
                Assert.That(again, Is.True, "one already gone counts as removed");
                Assert.That(await _engine.FindNetworksAsync($"gn-test-{_case}", Token()), Is.Empty);
            });
        }
        finally
        {
            if ((await _engine.FindNetworksAsync($"gn-test-{_case}", Token())).Count > 0)
            {
                await docker.Networks.DeleteNetworkAsync(id);
            }
        }
    }

    [Test]
    public void CreateAndStart_OnANetworkThatIsGone_ThrowsNetworkNotFoundNamingIt()
    {
        // dockerd 20.10 creates the container and refuses its start ("network NAME not found", 404): before, typed as the
        // started container not found. An engine that checks the network at the create refuses that: the same type.
        var missing = $"gn-test-none-{_case}";

        var ex = Assert.ThrowsAsync<NetworkNotFoundException>(async () =>
        {
            var id = await CreateAsync(networkMode: missing);
            await _engine.StartContainerAsync(id, Token());
        });

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Network, Is.EqualTo(missing));
            Assert.That(ex.StatusCode, Is.EqualTo(404));
            Assert.That(ex.Answer, Does.Contain($"network {missing} not found"));
        });
    }
}
