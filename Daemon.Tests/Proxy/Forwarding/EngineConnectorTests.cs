using System.Net;
using System.Net.Sockets;
using GradientNode.Proxy.Forwarding;
using NUnit.Framework;

namespace GradientNode.Tests.Proxy.Forwarding;

[TestFixture]
[Category("Unit")]
internal sealed class EngineConnectorTests
{
    private TcpListener _listener = null!;

    [SetUp]
    public void SetUp()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
    }

    [TearDown]
    public void TearDown() => _listener.Stop();

    [Test]
    public async Task ConnectAsync_FirstConnectLandsOnAnotherEngine_ClosesItAndKeepsTheSecond()
    {
        var landedOn = new Queue<int>([0, 1]);
        var connector = new EngineConnector(() => landedOn.Dequeue());

        await using var stream = await connector.ConnectAsync(1, Endpoint(), CancellationToken.None);
        var accepted = await AcceptAsync(2);

        Assert.Multiple(async () =>
        {
            Assert.That(await IsClosedByPeerAsync(accepted[0]), Is.True, "the connection on the other engine was closed");
            Assert.That(await EchoesAsync(stream, accepted[1]), Is.True, "the stream is the second connection");
        });
        foreach (var client in accepted)
        {
            client.Dispose();
        }
    }

    [Test]
    public async Task ConnectAsync_NeverLands_KeepsTheLastOfItsAttempts()
    {
        var connector = new EngineConnector(() => 0, maxAttempts: 3);

        await using var stream = await connector.ConnectAsync(1, Endpoint(), CancellationToken.None);
        var accepted = await AcceptAsync(3);

        Assert.Multiple(async () =>
        {
            Assert.That(await IsClosedByPeerAsync(accepted[0]), Is.True);
            Assert.That(await IsClosedByPeerAsync(accepted[1]), Is.True);
            Assert.That(await EchoesAsync(stream, accepted[2]), Is.True, "the third connection is kept");
        });
        foreach (var client in accepted)
        {
            client.Dispose();
        }
    }

    [Test]
    public void ConnectAsync_NothingListens_ThrowsTheConnectFailure()
    {
        var port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _listener.Stop();
        var connector = new EngineConnector(() => 0);

        var failure = Assert.ThrowsAsync<SocketException>(async () =>
            await connector.ConnectAsync(0, new DnsEndPoint("127.0.0.1", port), CancellationToken.None));
        Assert.That(failure!.SocketErrorCode, Is.EqualTo(SocketError.ConnectionRefused));
    }

    private DnsEndPoint Endpoint() => new("127.0.0.1", ((IPEndPoint)_listener.LocalEndpoint).Port);

    private async Task<List<TcpClient>> AcceptAsync(int count)
    {
        var accepted = new List<TcpClient>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        for (var i = 0; i < count; i++)
        {
            accepted.Add(await _listener.AcceptTcpClientAsync(timeout.Token));
        }

        return accepted;
    }

    private static async Task<bool> IsClosedByPeerAsync(TcpClient accepted)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await accepted.GetStream().ReadAsync(new byte[1], timeout.Token) == 0;
    }

    private static async Task<bool> EchoesAsync(Stream stream, TcpClient accepted)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await stream.WriteAsync("ping"u8.ToArray(), timeout.Token);
        var buffer = new byte[4];
        await accepted.GetStream().ReadExactlyAsync(buffer, timeout.Token);
        return buffer.SequenceEqual("ping"u8.ToArray());
    }
}
