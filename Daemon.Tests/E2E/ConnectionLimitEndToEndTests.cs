using System.Net;
using System.Net.Sockets;
using System.Text;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// One network client held every connection slot of the proxy: 10,000 idle keep-alive connections from one address (each
/// answered once, then held 130 s) and every other client's connection was reset (found by the fourth adversary review,
/// with curl from the same box). The published binary with <c>--max-connections-per-address 3</c>: the fourth connection
/// from one address is closed at once, another address is served, and a closed one frees its slot.
/// </summary>
[TestFixture]
[Category("E2E")]
[NonParallelizable]
internal sealed class ConnectionLimitEndToEndTests
{
    private GradientNodeProcess _node = null!;

    [SetUp]
    public async Task SetUp()
    {
        await TestEnvironment.RequireEngineAsync();
        _node = GradientNodeProcess.Prepare();
        await _node.StartAsync(extraArgs: ["--max-connections-per-address", "3"]);
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
            _node = null!;
        }
    }

    [Test]
    public async Task Up_MoreConnectionsFromOneAddressThanTheLimit_ThatAddressIsClosedOthersAreServedAndAClosedOneFreesASlot()
    {
        var held = new List<TcpClient>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var client = new TcpClient();
                held.Add(client);
                await client.ConnectAsync(IPAddress.Loopback, _node.Port);
                Assert.That(await AskAsync(client), Does.StartWith("HTTP/1.1 404"), $"connection {i + 1} is served");
            }

            var refused = await ConnectAndAskAsync(IPAddress.Loopback);
            var served = await ConnectAndAskAsync(IPAddress.Parse("127.0.0.2"));

            Assert.Multiple(() =>
            {
                Assert.That(refused, Is.Empty, "the fourth connection from 127.0.0.1 is closed without an answer");
                Assert.That(served, Does.StartWith("HTTP/1.1 404"), "127.0.0.2 is another client");
            });

            held[0].Dispose();
            held.RemoveAt(0);
            await TestTimeouts.WaitUntilAsync(
                async () => (await ConnectAndAskAsync(IPAddress.Loopback)).StartsWith("HTTP/1.1 404", StringComparison.Ordinal),
                TestTimeouts.Short,
                "a connection from 127.0.0.1 once one of its three is closed");
        }
        finally
        {
            held.ForEach(c => c.Dispose());
        }
    }

    /// <summary>A new connection from <paramref name="source"/>: its answer, or empty when the proxy closed it (the reset may already come at the connect).</summary>
    private async Task<string> ConnectAndAskAsync(IPAddress source)
    {
        using var client = new TcpClient(new IPEndPoint(source, 0));
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, _node.Port);
        }
        catch (SocketException)
        {
            return string.Empty;
        }

        return await AskAsync(client);
    }

    /// <summary>Sends a request for a deployment that does not exist; the first bytes of the answer, or empty when the proxy closed the connection.</summary>
    private static async Task<string> AskAsync(TcpClient client)
    {
        var stream = client.GetStream();
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: nothing.localhost\r\n\r\n"));
            var buffer = new byte[256];
            using var timeout = new CancellationTokenSource(TestTimeouts.Short);
            var read = await stream.ReadAsync(buffer, timeout.Token);
            return Encoding.ASCII.GetString(buffer, 0, read);
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            return string.Empty; // reset by the proxy
        }
    }
}
