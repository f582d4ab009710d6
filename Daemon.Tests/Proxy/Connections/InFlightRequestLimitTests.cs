using System.Net;
using System.Net.Sockets;
using GradientNode.Core.Routing;
using GradientNode.Proxy.Auth;
using GradientNode.Proxy.Connections;
using GradientNode.Proxy.Tls;
using GradientNode.Tests.Infrastructure;
using GradientNode.Tests.Proxy.Hosting;
using GradientNode.Tests.Proxy.Tls;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace GradientNode.Tests.Proxy.Connections;

[TestFixture]
[Category("Proxy")]
internal sealed class InFlightRequestLimitTests
{
    private static readonly UInt128 One = AuthFailureKey.ClientOf(IPAddress.Parse("203.0.113.7"));
    private static readonly UInt128 Other = AuthFailureKey.ClientOf(IPAddress.Parse("203.0.113.8"));

    [Test]
    public void Refusal_PastEachLimit_429ForThatClient503PastTheTotalAndExitFreesOne()
    {
        var limit = new InFlightRequestLimit(2, 3, NullLogger.Instance);

        Assert.Multiple(() =>
        {
            Assert.That(limit.Refusal(One), Is.Null);
            Assert.That(limit.Refusal(One), Is.Null);
            Assert.That(limit.Refusal(One), Is.EqualTo(StatusCodes.Status429TooManyRequests), "a third of the same client");
            Assert.That(limit.Refusal(Other), Is.Null, "another client is not held back");
            Assert.That(limit.Refusal(Other), Is.EqualTo(StatusCodes.Status503ServiceUnavailable), "three in flight in all");
            limit.Exit(One);
            Assert.That(limit.Refusal(Other), Is.Null, "a finished request frees its place");
        });
    }

    [TestCase("HTTP/1.1", StatusCodes.Status200OK)]
    [TestCase("HTTP/1.0", StatusCodes.Status200OK)]
    [TestCase("HTTP/2", StatusCodes.Status429TooManyRequests)]
    public async Task Middleware_SecondRequestOfAClientAtItsLimit_CountedOverHttp2OnlyNotOverHttp1(string protocol, int second)
    {
        // An HTTP/1.x connection carries one request at a time and the connections are bounded already: counting its
        // requests added a lock to every request of the forwarding path.
        var limit = new InFlightRequestLimit(1, 10, NullLogger.Instance);
        var release = new TaskCompletionSource();
        var app = limit.Middleware(async context =>
        {
            if (context.Request.Path == "/hold")
            {
                await release.Task;
            }

            context.Response.StatusCode = StatusCodes.Status200OK;
        });

        var held = app(Context(protocol, "/hold"));
        var next = Context(protocol, "/");
        await app(next);
        release.SetResult();
        await held;

        Assert.That(next.Response.StatusCode, Is.EqualTo(second));
    }

    private static DefaultHttpContext Context(string protocol, string path)
    {
        var context = new DefaultHttpContext { Request = { Protocol = protocol, Path = path }, Response = { Body = new MemoryStream() } };
        context.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.7");
        return context;
    }

    /// <summary>
    /// One HTTP/2 connection carries many requests: before, a client's streams were bounded only by Kestrel's 100 a
    /// connection, so 1,000 connections from one address held or forwarded 100,000 requests (found by the eleventh adversary review).
    /// </summary>
    [Test]
    public async Task Https_MoreHttp2StreamsThanMaxConnectionsPerAddressOnOneConnection_TheOneOverIs429AndTheOthersServed()
    {
        const int PerAddress = 3;
        using var ca = new TestCertificates();
        var certDir = Directory.CreateTempSubdirectory("gn-tls-").FullName;
        try
        {
            var (cert, key) = ca.Write(certDir, "wildcard", "*." + ProxyHarness.Domain, ProxyHarness.Domain);
            var notReady = new DeploymentRoute("slow", "slow", true, [new ReplicaRoute("a", "127.0.0.1:1", false)]);
            await using var proxy = await ProxyHarness.StartAsync(
                o => o with
                {
                    ListenUrls = ["https://127.0.0.1:0"], Tls = new ProxyTlsOptions { CertificateFile = cert, KeyFile = key },
                    MaxConnectionsPerAddress = PerAddress, ReadyWaitTimeout = TestTimeouts.Request,
                },
                notReady);
            using var client = new HttpClient(new SocketsHttpHandler
            {
                SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
                ConnectCallback = async (_, token) =>
                {
                    var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, proxy.Port), token);
                    return new NetworkStream(socket, ownsSocket: true);
                },
            }) { Timeout = TestTimeouts.Request + TestTimeouts.Request, DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
            var url = $"https://slow.{ProxyHarness.Domain}:{proxy.Port}/";

            var requests = Enumerable.Range(0, PerAddress + 1).Select(_ => client.GetAsync(url)).ToList();
            var first = await Task.WhenAny(requests);
            using (var refused = await first)
            {
                // Before: every stream was held, and the first to end was the hold's timeout (503).
                Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), await refused.Content.ReadAsStringAsync());
                Assert.That(refused.Version, Is.EqualTo(HttpVersion.Version20));
            }

            requests.Remove(first);
            await using var backend = await TestBackend.StartAsync("a");
            await proxy.PublishAsync(ProxyHarness.Route("slow", backend));
            foreach (var request in requests)
            {
                using var served = await request;
                Assert.That(served.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the held ones are served once a replica is ready");
            }

            using var again = await client.GetAsync(url);
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK), "finished requests free their places");
        }
        finally
        {
            Directory.Delete(certDir, recursive: true);
        }
    }
}
