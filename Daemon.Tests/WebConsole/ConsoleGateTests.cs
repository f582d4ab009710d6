using System.Net;
using GradientNode.Daemon.WebConsole;
using NUnit.Framework;

namespace GradientNode.Tests.WebConsole;

/// <summary>
/// <see cref="ConsoleGate.Refusal"/> for connections whose user the host's socket tables do not hold (an empty
/// <c>/proc/net</c> here): another host's, or a container's on this host.
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed class ConsoleGateTests
{
    private static readonly IPEndPoint Console = new(IPAddress.Parse("192.168.1.5"), 7080);
    private string _procNet = null!;

    [SetUp]
    public void SetUp()
    {
        _procNet = Directory.CreateTempSubdirectory("gn-console-gate-").FullName;
        File.WriteAllText(Path.Combine(_procNet, "tcp"), "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n");
        File.WriteAllText(Path.Combine(_procNet, "tcp6"), "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n");
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_procNet, recursive: true);

    [Test]
    public void Refusal_AllowRemoteAndAReplicaOnABridgeOfThisHost_RefusedNamingItsAddress()
    {
        // A replica (or any container of the engine) calls the console at the host's address: its socket is in the
        // container's network namespace, so no row names its user. Before: taken for another host's and served.
        var replica = new IPEndPoint(IPAddress.Parse("10.214.128.2"), 40000);

        var why = ConsoleGate.Refusal(replica, Console, _ => null, allowRemote: true, _procNet, a => a.Equals(IPAddress.Parse("10.214.128.2")));

        Assert.That(why, Is.EqualTo("the connection comes from 10.214.128.2, a container network of this host (a bridge's subnet), where no user can be found for it; containers are not served"));
    }

    [Test]
    public void Refusal_AllowRemoteAndAnotherHost_Served()
    {
        var why = ConsoleGate.Refusal(new IPEndPoint(IPAddress.Parse("192.168.1.20"), 40000), Console, _ => null, allowRemote: true, _procNet, _ => false);

        Assert.That(why, Is.Null);
    }

    [Test]
    public void Refusal_NoAllowRemoteAndNoUserFound_Refused()
    {
        var why = ConsoleGate.Refusal(new IPEndPoint(IPAddress.Parse("192.168.1.20"), 40000), Console, _ => null, allowRemote: false, _procNet, _ => false);

        Assert.That(why, Is.EqualTo("the connection's user cannot be found on this host"));
    }
}
