using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using GradientNode.Core.Routing;
using GradientNode.Proxy;
using GradientNode.Tests.Infrastructure;
using GradientNode.Tests.Proxy.Hosting;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace GradientNode.Tests.Proxy.Gateway;

/// <summary>What the gateway answers itself under hostile input: odd names, floods of held requests.</summary>
[TestFixture]
[Category("Proxy")]
[NonParallelizable]
internal sealed partial class GatewayMiddlewareTests
{
    private readonly List<IAsyncDisposable> _disposables = [];

    [TearDown]
    public async Task TearDown()
    {
        for (var i = _disposables.Count - 1; i >= 0; i--)
        {
            await _disposables[i].DisposeAsync();
        }

        _disposables.Clear();
    }

    [Test]
    public async Task Request_ProtectedNonAsciiName_Returns401WithAsciiRealm()
    {
        var proxy = await ProxyAsync(o => o, new DeploymentRoute("cafe", "café ☕", true, [new ReplicaRoute("a", "127.0.0.1:1", true)])
        {
            ExpectedAuthorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("paperspace:pw")),
        });

        using var response = await proxy.Client.GetAsync(proxy.Url("cafe"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Is.EqualTo("Basic realm=\"cafe\""));
    }

    [Test]
    public async Task Request_WrongPasswordsPastTheLimit_Returns429WithoutCheckingThePasswordUntilTheWindowEnds()
    {
        var time = new FakeTimeProvider();
        var backend = await TestBackend.StartAsync("a");
        _disposables.Add(backend);
        var proxy = await ProxyAsync(o => o with { TimeProvider = time, AuthFailureLimit = 3 }, Protected(ProxyHarness.Route("secure", backend)));

        for (var i = 0; i < 3; i++)
        {
            using var wrong = await SendAsync(proxy.Client, proxy, "wrong", forwardedFor: $"198.51.100.{i}");
            Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "X-Forwarded-For changes nothing: the limit counts the TCP peer");
        }

        using (var lockedOut = await SendAsync(proxy.Client, proxy, "wrong"))
        {
            Assert.That(lockedOut.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(lockedOut.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromMinutes(1)));
            Assert.That(lockedOut.Headers.WwwAuthenticate, Is.Empty);
        }

        using (var rightButLockedOut = await SendAsync(proxy.Client, proxy, RightPassword))
        {
            Assert.That(rightButLockedOut.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "the password is not checked, so a guess learns nothing");
        }

        time.Advance(TimeSpan.FromSeconds(59));
        using (var stillLockedOut = await SendAsync(proxy.Client, proxy, RightPassword))
        {
            Assert.That(stillLockedOut.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(1)));
        }

        time.Advance(TimeSpan.FromSeconds(1));
        using var recovered = await SendAsync(proxy.Client, proxy, RightPassword);
        Assert.That(recovered.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the lockout is over");
    }

    [Test]
    public async Task Request_OneClientLockedOut_OtherAddressUnaffected()
    {
        var backend = await TestBackend.StartAsync("a");
        _disposables.Add(backend);
        var proxy = await ProxyAsync(o => o with { AuthFailureLimit = 3 }, Protected(ProxyHarness.Route("secure", backend)));
        for (var i = 0; i < 4; i++)
        {
            using var wrong = await SendAsync(proxy.Client, proxy, "wrong");
        }

        using var other = proxy.ClientFrom(IPAddress.Parse("127.0.0.2"));
        using var lockedOut = await SendAsync(proxy.Client, proxy, RightPassword);
        using var otherWrong = await SendAsync(other, proxy, "wrong");
        using var otherRight = await SendAsync(other, proxy, RightPassword);
        using var anonymous = await other.GetAsync(proxy.Url("secure"));

        Assert.Multiple(() =>
        {
            Assert.That(lockedOut.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(otherWrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "127.0.0.2 has its own count");
            Assert.That(otherRight.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        });
    }

    [Test]
    public async Task Request_CapPlusOneToNeverReadyDeployment_OneRejectedWithRetryAfterWhileCapAreHeld()
    {
        const int Cap = 5;
        var notReady = new DeploymentRoute("slow", "slow", true, [new ReplicaRoute("a", "127.0.0.1:1", false)]);
        var proxy = await ProxyAsync(o => o with { MaxHeldRequestsPerDeployment = Cap, ReadyWaitTimeout = TestTimeouts.Request }, notReady);

        var requests = Enumerable.Range(0, Cap + 1).Select(_ => proxy.Client.GetAsync(proxy.Url("slow"))).ToList();
        var first = await Task.WhenAny(requests);
        using (var rejected = await first)
        {
            Assert.That(rejected.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(rejected.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(5)));
        }

        requests.Remove(first);
        var (stats, text) = await proxy.StatsWhenAsync("slow", d => d.Held == Cap && d.HoldRejected > 0, $"{Cap} held requests and the rejection counted");
        Assert.Multiple(() =>
        {
            Assert.That(requests.Count(r => r.IsCompleted), Is.Zero, "the other requests are still held");
            Assert.That(stats.HoldRejected, Is.EqualTo(1));
            Assert.That(text, Does.Contain($"gradient_proxy_held_requests{{deployment=\"slow\"}} {Cap}\n"));
            Assert.That(text, Does.Contain("gradient_proxy_hold_rejected_total{deployment=\"slow\"} 1\n"));
        });

        var backend = await TestBackend.StartAsync("a");
        _disposables.Add(backend);
        await proxy.PublishAsync(ProxyHarness.Route("slow", backend));
        foreach (var request in requests)
        {
            using var served = await request;
            Assert.That(served.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a held request is served once a replica is ready");
        }

        await proxy.StatsWhenAsync("slow", d => d.Held == 0, "no held request once all are served");
    }

    [Test]
    public async Task Request_HeldWhileTheDeploymentBecomesProtected_CheckedAgainstTheNewPasswordNotServed()
    {
        // Held under the old route (public, or another password): the route it is served by must be the one it was checked against.
        var notReady = new DeploymentRoute("secure", "secure", true, [new ReplicaRoute("a", "127.0.0.1:1", false)]);
        var proxy = await ProxyAsync(o => o with { ReadyWaitTimeout = TestTimeouts.Request }, notReady);
        var anonymous = proxy.Client.GetAsync(proxy.Url("secure"));
        var oldPassword = SendAsync(proxy.Client, proxy, "old");
        await proxy.StatsWhenAsync("secure", d => d.Held == 2, "both requests held");

        var backend = await TestBackend.StartAsync("a");
        _disposables.Add(backend);
        await proxy.PublishAsync(Protected(ProxyHarness.Route("secure", backend)));
        using var anonymousAnswer = await anonymous;
        using var oldPasswordAnswer = await oldPassword;
        using var right = await SendAsync(proxy.Client, proxy, RightPassword);

        Assert.Multiple(() =>
        {
            Assert.That(anonymousAnswer.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "held while public, served once protected");
            Assert.That(anonymousAnswer.Headers.WwwAuthenticate.ToString(), Is.EqualTo("Basic realm=\"secure\""));
            Assert.That(oldPasswordAnswer.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "a password the deployment no longer has");
            Assert.That(right.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task Request_TotalHoldCapReached_OtherDeploymentRejectedAtOnce()
    {
        var proxy = await ProxyAsync(
            o => o with { MaxHeldRequests = 2, MaxHeldRequestsPerDeployment = 10, ReadyWaitTimeout = TestTimeouts.Request },
            new DeploymentRoute("one", "one", true, [new ReplicaRoute("a", "127.0.0.1:1", false)]),
            new DeploymentRoute("two", "two", true, [new ReplicaRoute("b", "127.0.0.1:1", false)]));
        using var cancel = new CancellationTokenSource();
        var held = Enumerable.Range(0, 2).Select(_ => proxy.Client.GetAsync(proxy.Url("one"), cancel.Token)).ToList();
        await proxy.StatsWhenAsync("one", d => d.Held == 2, "2 held requests");

        using var rejected = await proxy.Client.GetAsync(proxy.Url("two"));

        Assert.That(rejected.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(rejected.Headers.RetryAfter, Is.Not.Null);
        var (two, _) = await proxy.StatsWhenAsync("two", d => d.HoldRejected > 0, "a rejection counted");
        Assert.That(two.HoldRejected, Is.EqualTo(1));
        await cancel.CancelAsync();
        await proxy.StatsWhenAsync("one", d => d.Held == 0, "aborted held requests release their slots");
        Assert.That(held.All(r => r.IsCanceled || r.IsFaulted), Is.True);
    }

    [Test]
    public async Task Request_ConnectToReadyDeployment_Returns405AndNextRequestIsForwarded()
    {
        var backend = await TestBackend.StartAsync("a");
        _disposables.Add(backend);
        var proxy = await ProxyAsync(o => o, ProxyHarness.Route("one", backend));
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, proxy.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"CONNECT one.{ProxyHarness.Domain}:80 HTTP/1.1\r\nHost: one.{ProxyHarness.Domain}:80\r\nConnection: close\r\n\r\n"));

        using var timeout = new CancellationTokenSource(TestTimeouts.Condition);
        var buffer = new byte[4096];
        var answer = Encoding.ASCII.GetString(buffer, 0, await ReadToEndAsync(stream, buffer, timeout.Token));
        using var next = await proxy.Client.GetAsync(proxy.Url("one"));

        Assert.That(answer, Does.StartWith("HTTP/1.1 405"), "refused by the gateway, not a 502 from YARP");
        Assert.That(answer, Does.Contain("CONNECT is not forwarded"));
        Assert.That(next.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Connection_HeadersNeverFinished_ClosedAfterRequestHeadersTimeout()
    {
        var proxy = await ProxyAsync(o => o with { RequestHeadersTimeout = TimeSpan.FromSeconds(1) });
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, proxy.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x.test.local\r\nX-Slow: "));

        using var timeout = new CancellationTokenSource(TestTimeouts.Condition);
        var buffer = new byte[4096];
        var read = await ReadToEndAsync(stream, buffer, timeout.Token);

        Assert.That(Encoding.ASCII.GetString(buffer, 0, read), Does.StartWith("HTTP/1.1 408"), "Kestrel answers 408 and closes a slow-header connection");
    }

    private const string RightPassword = "pw";

    private static DeploymentRoute Protected(DeploymentRoute route) =>
        route with { ExpectedAuthorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("paperspace:" + RightPassword)) };

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, ProxyHarness proxy, string password, string? forwardedFor = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, proxy.Url("secure"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("paperspace:" + password)));
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        return client.SendAsync(request);
    }

    private static async Task<int> ReadToEndAsync(NetworkStream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
        }

        return total;
    }

    private async Task<ProxyHarness> ProxyAsync(Func<ProxyOptions, ProxyOptions> configure, params DeploymentRoute[] initial)
    {
        var proxy = await ProxyHarness.StartAsync(configure, initial);
        _disposables.Insert(0, proxy);
        return proxy;
    }
}
