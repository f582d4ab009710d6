using Docker.DotNet;
using Docker.DotNet.Models;
using GradientNode.Core.Engine;
using GradientNode.Core.Reconciliation;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Engine;

/// <summary>The network <c>disconnect</c> event as the real engine sends it (faults9's F3 was checked live only).</summary>
internal sealed partial class DockerEngineTests
{
    [Test]
    public async Task WatchNetworkDisconnectsAsync_ReplicaTakenOffItsNetwork_EventLeadsToItsDeployment()
    {
        using var cts = new CancellationTokenSource(TestTimeouts.Container);
        var node = $"node-{_case}";
        var id = await CreateAsync(labels: new() { [ContainerLabels.Node] = node, [ContainerLabels.Deployment] = "web" });
        await _engine.StartContainerAsync(id, cts.Token);
        using var docker = new DockerClientBuilder().WithEndpoint(new Uri(TestEnvironment.DockerHost)).Build();
        await using var events = _engine.WatchNetworkDisconnectsAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        var next = events.MoveNextAsync().AsTask();

        // The subscription is in flight: take the container off its network (again) until its event arrives, without sleeping.
        EngineEvent? mine = null;
        while (mine is null)
        {
            var connected = (await _engine.InspectContainerAsync(id, cts.Token))?.IpAddress is not null;
            if (!connected)
            {
                await docker.Networks.ConnectNetworkAsync("bridge", new NetworkConnectParameters { Container = id }, cts.Token);
            }

            await docker.Networks.DisconnectNetworkAsync("bridge", new NetworkDisconnectParameters { Container = id }, cts.Token);
            while (await TestTimeouts.CompletesWithinAsync(next, TestTimeouts.PollInterval) && await next)
            {
                if (events.Current.Attributes.GetValueOrDefault("container") == id)
                {
                    mine = events.Current;
                    break;
                }

                next = events.MoveNextAsync().AsTask(); // another container's (a removal disconnects it too)
            }
        }

        var details = await _engine.InspectContainerAsync(id, cts.Token);
        var ofThisNode = await NetworkDisconnects.DeploymentOfAsync(_engine, node, mine, cts.Token);
        var ofAnother = await NetworkDisconnects.DeploymentOfAsync(_engine, "another-node", mine, cts.Token);
        Assert.Multiple(() =>
        {
            Assert.That(mine.Type, Is.EqualTo("network"));
            Assert.That(mine.Action, Is.EqualTo("disconnect"));
            Assert.That(ofThisNode, Is.EqualTo("web"));
            Assert.That(ofAnother, Is.Null, "a container of another node concerns none of this node's deployments");
            Assert.That(details?.State.Running, Is.True, "it runs on, off its network");
            Assert.That(details?.IpAddress, Is.Null, "so the observer's NoAddress replaces it");
        });
    }
}
