using System.Net;
using System.Net.Sockets;
using GradientNode.Daemon.Security;
using NUnit.Framework;

namespace GradientNode.Tests.Security;

[TestFixture]
[Category("Unit")]
public sealed class TcpPeerOwnerTests
{
    // Two rows of a real /proc/net/tcp: a listener on 127.0.0.1:18301, and uid 65534's socket 127.0.0.1:40000 connected to it.
    private const string Table = """
          sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           0: 0100007F:477D 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0000000000000000 100 0 0 10 0
           1: 0100007F:9C40 0100007F:477D 01 00000000:00000000 00:00000000 00000000 65534        0 2 1 0000000000000000 20 4 30 10 -1
        """;

    [Test]
    public void FindIn_ClientRowOfTheConnection_ItsUid()
    {
        var uid = TcpPeerOwner.FindIn(Table, new IPEndPoint(IPAddress.Loopback, 40000), new IPEndPoint(IPAddress.Loopback, 18301));

        Assert.That(uid, Is.EqualTo(65534u));
    }

    [Test]
    public void FindIn_NoRowForThatClientPort_Null()
    {
        var uid = TcpPeerOwner.FindIn(Table, new IPEndPoint(IPAddress.Loopback, 40001), new IPEndPoint(IPAddress.Loopback, 18301));

        Assert.That(uid, Is.Null);
    }

    [Test]
    public void FindIn_DualModeListenerSeesIpv4MappedEnds_FindsTheIpv4Row()
    {
        // A console listening on [::] sees a 127.0.0.1 client as ::ffff:127.0.0.1; the client's row is in /proc/net/tcp.
        var uid = TcpPeerOwner.FindIn(Table, new IPEndPoint(IPAddress.Parse("::ffff:127.0.0.1"), 40000), new IPEndPoint(IPAddress.Parse("::ffff:127.0.0.1"), 18301));

        Assert.That(uid, Is.EqualTo(65534u));
    }

    [Test]
    public void Parse_Ipv6AndIpv4MappedRows_TheirAddresses()
    {
        Assert.Multiple(() =>
        {
            Assert.That(TcpPeerOwner.Parse("00000000000000000000000001000000:1F90"), Is.EqualTo(new IPEndPoint(IPAddress.IPv6Loopback, 8080)));
            Assert.That(TcpPeerOwner.Parse("0000000000000000FFFF00000100007F:0050"), Is.EqualTo(new IPEndPoint(IPAddress.Parse("::ffff:127.0.0.1"), 80)));
            Assert.That(TcpPeerOwner.Parse("0100007F"), Is.Null);
        });
    }

    [Test]
    public async Task Find_RealLoopbackConnection_TheUidOfThisProcess()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        using var served = await listener.AcceptTcpClientAsync();

        var uid = TcpPeerOwner.Find((IPEndPoint)served.Client.RemoteEndPoint!, (IPEndPoint)served.Client.LocalEndPoint!);

        Assert.That(uid, Is.EqualTo(GradientNode.Daemon.Security.Libc.GetEffectiveUserId()));
    }
}
