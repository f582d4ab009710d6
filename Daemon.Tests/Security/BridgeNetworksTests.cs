using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using GradientNode.Daemon.Security;
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

        Assert.Multiple(() =>
        {
            Assert.That(BridgeNetworks.Contains(container), Is.True, $"{container} on the bridge of {bridge.Address}/{bridge.PrefixLength}");
            Assert.That(BridgeNetworks.Contains(container.MapToIPv6()), Is.True, "as a dual-mode listener sees it");
            Assert.That(BridgeNetworks.Contains(IPAddress.Parse("192.0.2.1")), Is.False, "TEST-NET-1 is on no bridge");
        });
    }
}
