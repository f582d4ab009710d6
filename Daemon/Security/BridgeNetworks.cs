using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace GradientNode.Daemon.Security;

/// <summary>
/// The networks of this host's bridges (an interface with <c>/sys/class/net/NAME/bridge</c>: <c>docker0</c>, the replica
/// network's <c>br-…</c>, any engine's): containers on this host reach its addresses from there, each in a network
/// namespace of its own, where the kernel's socket tables of the host (<see cref="TcpPeerOwner"/>) hold no row for them,
/// so no user can be found for such a connection. It does not come from another host either.
/// </summary>
internal static class BridgeNetworks
{
    /// <summary>Whether <paramref name="address"/> lies in a subnet of one of this host's bridges now.</summary>
    public static bool Contains(IPAddress address, string sysNetDir = "/sys/class/net")
    {
        ArgumentNullException.ThrowIfNull(address);
        var peer = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        NetworkInterface[] interfaces;
        try
        {
            interfaces = NetworkInterface.GetAllNetworkInterfaces();
        }
        catch (NetworkInformationException)
        {
            return false;
        }

        return interfaces
            .Where(nic => Directory.Exists(Path.Combine(sysNetDir, nic.Name, "bridge")))
            .SelectMany(nic => nic.GetIPProperties().UnicastAddresses)
            .Any(unicast => InSubnet(peer, unicast.Address, unicast.PrefixLength));
    }

    /// <summary>Whether <paramref name="address"/> and <paramref name="network"/> share their first <paramref name="prefixLength"/> bits.</summary>
    public static bool InSubnet(IPAddress address, IPAddress network, int prefixLength)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(network);
        if (address.AddressFamily != network.AddressFamily || (network.AddressFamily == AddressFamily.InterNetworkV6 && network.IsIPv6LinkLocal))
        {
            return false;
        }

        var a = address.GetAddressBytes();
        var n = network.GetAddressBytes();
        var bits = Math.Clamp(prefixLength, 0, a.Length * 8);
        for (var i = 0; i < bits; i++)
        {
            var mask = (byte)(0x80 >> (i % 8));
            if ((a[i / 8] & mask) != (n[i / 8] & mask))
            {
                return false;
            }
        }

        return true;
    }
}
