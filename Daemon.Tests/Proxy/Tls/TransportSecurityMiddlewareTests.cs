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
