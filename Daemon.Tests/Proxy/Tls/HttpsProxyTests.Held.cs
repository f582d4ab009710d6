using System.Net;
using System.Net.Http.Headers;
using GradientNode.Core.Routing;
using NUnit.Framework;

namespace GradientNode.Tests.Proxy.Tls;

/// <summary>A plain-HTTP request held while its deployment had no ready replica, across the deployment becoming protected.</summary>
internal sealed partial class HttpsProxyTests
{
    [Test]
    public async Task PlainHttp_RedirectOffHeldWhileTheDeploymentBecomesProtected_RefusedWithoutCheckingPassword()
    {
        var backend = await BackendAsync("a");
        var proxy = await ProxyAsync(t => t with { RedirectHttp = false }, new DeploymentRoute("secure", "secure", true, [new ReplicaRoute("a", "127.0.0.1:1", false)]));
        using var withPassword = new HttpRequestMessage(HttpMethod.Get, proxy.Http("secure", "/headers"));
        withPassword.Headers.Authorization = new AuthenticationHeaderValue("Basic", GoodToken);
        var held = proxy.Client(proxy.HttpPort).SendAsync(withPassword);
        await proxy.Harness.StatsWhenAsync("secure", d => d.Held == 1, "the plain-HTTP request held while the deployment is public");

        await proxy.Harness.PublishAsync(Protected(backend));
        using var refused = await held;

        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "a clear-text password never works, also for a request held across the change");
        Assert.That(await refused.Content.ReadAsStringAsync(), Does.Contain("a password over plain HTTP is not accepted"));
    }
}
