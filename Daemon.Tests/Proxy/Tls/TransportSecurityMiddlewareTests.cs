using System.Net.Sockets;
using System.Text;
using GradientNode.Tests.Proxy.Hosting;
using NUnit.Framework;

namespace GradientNode.Tests.Proxy.Tls;

[TestFixture]
[Category("Proxy")]
[NonParallelizable]
internal sealed class TransportSecurityMiddlewareTests
{
    [Test]
    public async Task PlainHttp_Http10RequestWithoutHost_Returns400NotARedirectToAnEmptyHost()
    {
        await using var backend = await TestBackend.StartAsync("a");
        await using var proxy = await HttpsFixture.StartAsync(null, ProxyHarness.Route("hello", backend));

        var response = await RawAsync(proxy.HttpPort, "GET /x HTTP/1.0\r\n\r\n");

        Assert.Multiple(() =>
        {
            Assert.That(response, Does.StartWith("HTTP/1.1 400 "));
            Assert.That(response, Does.Not.Contain("Location:"));
            Assert.That(response, Does.Contain("no Host header"));
        });
    }

    [Test]
    public async Task PlainHttp_Http10RequestWithHost_RedirectsToThatHost()
    {
        await using var backend = await TestBackend.StartAsync("a");
        await using var proxy = await HttpsFixture.StartAsync(null, ProxyHarness.Route("hello", backend));

        var response = await RawAsync(proxy.HttpPort, "GET /x HTTP/1.0\r\nHost: hello.test.local\r\n\r\n");

        Assert.That(response, Does.StartWith("HTTP/1.1 308 ").And.Contain($"Location: https://hello.test.local:{proxy.HttpsPort}/x"));
    }

    [TestCase("GET /x HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n", "evil.example")]
    [TestCase("GET /x HTTP/1.1\r\nHost: evil.example:443\r\nConnection: close\r\n\r\n", "evil.example")]
    [TestCase("GET /x HTTP/1.1\r\nHost: hello.test.local.evil.example\r\nConnection: close\r\n\r\n", "hello.test.local.evil.example")]
    [TestCase("GET /x HTTP/1.1\r\nHost: other.hello.test.local\r\nConnection: close\r\n\r\n", "other.hello.test.local")]
    [TestCase("GET /x HTTP/1.1\r\nHost: 203.0.113.7\r\nConnection: close\r\n\r\n", "203.0.113.7")]
    [TestCase("GET /x HTTP/1.1\r\nHost: [2001:db8::1]:80\r\nConnection: close\r\n\r\n", "2001:db8::1")]
    [TestCase("GET /x HTTP/1.1\r\nHost: a_b~c.test.local\r\nConnection: close\r\n\r\n", "a_b~c.test.local")]
    [TestCase("GET http://evil.example/x HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n", "evil.example")]
    [TestCase("GET /x HTTP/1.0\r\nHost: evil.example\r\n\r\n", "evil.example")]
    public async Task PlainHttp_HostTheNodeDoesNotServe_404AndNoRedirectThere(string request, string host)
    {
        await using var backend = await TestBackend.StartAsync("a");
        await using var proxy = await HttpsFixture.StartAsync(null, ProxyHarness.Route("hello", backend));

        var response = await RawAsync(proxy.HttpPort, request);

        Assert.Multiple(() =>
        {
            Assert.That(response, Does.StartWith("HTTP/1.1 404 "));
            Assert.That(response, Does.Not.Contain("Location:"));
            Assert.That(response, Does.Contain("nothing to redirect to").And.Contain(host));
        });
    }

    [TestCase("HELLO.Test.Local")]
    [TestCase("hello.test.local.")]
    [TestCase("unknown.test.local")]
    public async Task PlainHttp_LabelUnderTheDomain_RedirectedToThatHostOnHttps(string host)
    {
        await using var backend = await TestBackend.StartAsync("a");
        await using var proxy = await HttpsFixture.StartAsync(null, ProxyHarness.Route("hello", backend));

        var response = await RawAsync(proxy.HttpPort, $"GET /x?y HTTP/1.1\r\nHost: {host}:{proxy.HttpPort}\r\nConnection: close\r\n\r\n");

        Assert.That(response, Does.StartWith("HTTP/1.1 308 ").And.Contain($"Location: https://{host}:{proxy.HttpsPort}/x?y\r\n"));
    }

    private static async Task<string> RawAsync(int port, string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        await using var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        return await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(10));
    }
}
