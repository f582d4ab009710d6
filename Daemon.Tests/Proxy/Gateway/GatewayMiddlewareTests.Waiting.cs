using System.Net;
using GradientNode.Core.Routing;
using NUnit.Framework;

namespace GradientNode.Tests.Proxy.Gateway;

/// <summary>The 503 of a request held past the wait says why the deployment has no ready replica, as the daemon last said.</summary>
internal sealed partial class GatewayMiddlewareTests
{
    [Test]
    public async Task Request_HeldPastTheWait_503SaysWhyTheDaemonLastGave()
    {
        var pulling = new DeploymentRoute("slow", "slow", true, [new ReplicaRoute("a", "127.0.0.1:1", false)], Waiting: "its image is being pulled");
        var proxy = await ProxyAsync(o => o with { ReadyWaitTimeout = TimeSpan.FromSeconds(2) }, pulling);

        var held = proxy.Client.GetAsync(proxy.Url("slow"));
        await proxy.StatsWhenAsync("slow", d => d.Held == 1, "the request held");
        await proxy.PublishAsync(pulling with { Waiting = "1 replica is running but has not passed its readiness check yet" });
        using var response = await held;

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(
                await response.Content.ReadAsStringAsync(),
                Is.EqualTo("deployment 'slow' has no ready replica: 1 replica is running but has not passed its readiness check yet\n"),
                "the reason of the route the wait ended on, not of the one it started on");
        });
    }

    [Test]
    public async Task Request_HeldPastTheWaitWithoutAReason_503SaysOnlyThatNoneIsReady()
    {
        var proxy = await ProxyAsync(
            o => o with { ReadyWaitTimeout = TimeSpan.FromMilliseconds(300) },
            new DeploymentRoute("slow", "slow", true, [new ReplicaRoute("a", "127.0.0.1:1", false)]));

        using var response = await proxy.Client.GetAsync(proxy.Url("slow"));

        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("deployment 'slow' has no ready replica\n"));
    }

    [Test]
    public async Task Request_HoldCapReached_503SaysWhyToo()
    {
        var proxy = await ProxyAsync(
            o => o with { MaxHeldRequestsPerDeployment = 0 },
            new DeploymentRoute("slow", "slow", true, [], Waiting: "its replicas are starting"));

        using var response = await proxy.Client.GetAsync(proxy.Url("slow"));

        Assert.That(
            await response.Content.ReadAsStringAsync(),
            Is.EqualTo("deployment 'slow' has no ready replica and too many requests are waiting for one: its replicas are starting\n"));
    }
}
