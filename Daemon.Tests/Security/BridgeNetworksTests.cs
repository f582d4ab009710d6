using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using GradientNode.Daemon.Security;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace GradientNode.Tests.Security;

[TestFixture]
[Category("Unit")]
public sealed class BridgeNetworksTests
{
    [TestCase("10.214.128.2", "10.214.128.1", 22, true)]
    [TestCase("10.214.132.2", "10.214.128.1", 22, false)]
    [TestCase("172.17.255.254", "172.17.0.1", 16, true)]
    [TestCase("192.0.2.1", "172.17.0.1", 16, false)]
    [TestCase("fd00::5", "fd00::1", 64, true)]
    [TestCase("fd01::5", "fd00::1", 64, false)]
    [TestCase("10.0.0.1", "fd00::1", 8, false)]
    public void InSubnet_AddressAndNetwork_SharesThePrefixOrNot(string address, string network, int prefix, bool expected)
    {
        Assert.That(BridgeNetworks.InSubnet(IPAddress.Parse(address), IPAddress.Parse(network), prefix), Is.EqualTo(expected));
    }

    [Test]
    public void Contains_AnAddressOnARealBridgeOfThisHostAndOneOnNone_TrueThenFalse()
    {
        // The boxes the tests run on have the engine's bridges (docker0, the private dockerds', the replica network's).
        var bridge = NetworkInterface.GetAllNetworkInterfaces()
            .Where(nic => Directory.Exists($"/sys/class/net/{nic.Name}/bridge"))
            .SelectMany(nic => nic.GetIPProperties().UnicastAddresses)
            .FirstOrDefault(u => u.Address.AddressFamily == AddressFamily.InterNetwork && u.PrefixLength <= 30);
        if (bridge is null)
        {
            Assert.Ignore("no bridge with an IPv4 address on this host");
        }

        var bytes = bridge!.Address.GetAddressBytes();
        bytes[3] ^= 1; // another address of the same subnet, as a container's
        var container = new IPAddress(bytes);

        var bridges = new BridgeNetworks(TimeProvider.System);
        Assert.Multiple(() =>
        {
            Assert.That(bridges.Contains(container), Is.True, $"{container} on the bridge of {bridge.Address}/{bridge.PrefixLength}");
            Assert.That(bridges.Contains(container.MapToIPv6()), Is.True, "as a dual-mode listener sees it");
            Assert.That(bridges.Contains(IPAddress.Parse("192.0.2.1")), Is.False, "TEST-NET-1 is on no bridge");
        });
    }

    [Test]
    public void Contains_AContainerCallingAgainWithinAFewSeconds_RefusedWithoutListingTheInterfacesAgain()
    {
        // Before, every console connection with no user found listed the host's interfaces.
        var time = new FakeTimeProvider();
        var lists = 0;
        var bridges = new BridgeNetworks(time, () =>
        {
            lists++;
            return [(IPAddress.Parse("172.17.0.1"), 16)];
        });

        var first = bridges.Contains(IPAddress.Parse("172.17.0.5"));
        var again = bridges.Contains(IPAddress.Parse("172.17.0.6"));
        var listsWithin = lists;
        time.Advance(BridgeNetworks.Fresh);
        var later = bridges.Contains(IPAddress.Parse("172.17.0.5"));

        Assert.That((first, again, listsWithin, later, lists), Is.EqualTo((true, true, 1, true, 2)));
    }

    [Test]
    public void Contains_AnAddressOnNoBridgeKnown_CheckedAgainstAListMadeNowSoANewBridgeIsNeverMissed()
    {
        var time = new FakeTimeProvider();
        IReadOnlyList<(IPAddress, int)> subnets = [(IPAddress.Parse("172.17.0.1"), 16)];
        var bridges = new BridgeNetworks(time, () => subnets);
        bridges.Contains(IPAddress.Parse("172.17.0.5"));

        subnets = [(IPAddress.Parse("172.17.0.1"), 16), (IPAddress.Parse("10.214.128.1"), 22)];
        var onTheNewBridge = bridges.Contains(IPAddress.Parse("10.214.128.2"));
        var anotherHost = bridges.Contains(IPAddress.Parse("192.0.2.1"));

        Assert.That((onTheNewBridge, anotherHost), Is.EqualTo((true, false)));
    }
}
