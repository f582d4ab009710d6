using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace GradientNode.Daemon.Security;

/// <summary>
/// The networks of this host's bridges (an interface with <c>/sys/class/net/NAME/bridge</c>: <c>docker0</c>, the replica
/// network's <c>br-…</c>, any engine's): containers on this host reach its addresses from there, each in a network
/// namespace of its own, where the kernel's socket tables of the host (<see cref="TcpPeerOwner"/>) hold no row for them,
/// so no user can be found for such a connection. It does not come from another host either. The list is kept for
/// <see cref="Fresh"/>, for the answer "yes, a bridge's" only: a container calling in a loop is refused without the host's
/// interfaces being listed at each connection, while an address on no bridge known is always checked against a list made
/// now, so a bridge made in the last seconds is never missed (the cache can only refuse, never serve).
/// </summary>
internal sealed class BridgeNetworks(TimeProvider time, Func<IReadOnlyList<(IPAddress Network, int PrefixLength)>>? list = null)
{
    /// <summary>How long a list of the bridges' subnets answers "a bridge's" without being made again.</summary>
    public static readonly TimeSpan Fresh = TimeSpan.FromSeconds(5);

    private readonly Func<IReadOnlyList<(IPAddress Network, int PrefixLength)>> _list = list ?? (() => List());
    private readonly Lock _gate = new();
    private IReadOnlyList<(IPAddress Network, int PrefixLength)> _subnets = [];
    private long? _listedAt;

    /// <summary>Whether <paramref name="address"/> lies in a subnet of one of this host's bridges now.</summary>
    public bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var peer = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        lock (_gate)
        {
            if (_listedAt is { } at && time.GetElapsedTime(at) < Fresh && In(peer, _subnets))
            {
                return true;
            }

            _subnets = _list();
            _listedAt = time.GetTimestamp();
            return In(peer, _subnets);
        }
    }

    /// <summary>The subnets of this host's bridges now; none when the interfaces cannot be listed.</summary>
    public static IReadOnlyList<(IPAddress Network, int PrefixLength)> List(string sysNetDir = "/sys/class/net")
    {
        NetworkInterface[] interfaces;
        try
        {
            interfaces = NetworkInterface.GetAllNetworkInterfaces();
        }
        catch (NetworkInformationException)
        {
            return [];
        }

        return [.. interfaces
            .Where(nic => Directory.Exists(Path.Combine(sysNetDir, nic.Name, "bridge")))
            .SelectMany(nic => nic.GetIPProperties().UnicastAddresses)
            .Select(unicast => (unicast.Address, unicast.PrefixLength))];
    }

    private static bool In(IPAddress peer, IReadOnlyList<(IPAddress Network, int PrefixLength)> subnets) =>
        subnets.Any(subnet => InSubnet(peer, subnet.Network, subnet.PrefixLength));

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
