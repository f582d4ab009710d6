using System.Net;
using GradientNode.Proxy.Tls;

namespace GradientNode.Proxy.Hosting;

/// <summary>
/// A listening socket the service manager opened and passed down (systemd socket activation, sd_listen_fds(3)):
/// its file descriptor and the address it is bound to. A listen URL for the same address is served on it instead of
/// binding anew, so the socket, and the connections waiting in its queue, outlive a restart of the process.
/// </summary>
public sealed record InheritedSocket(int Descriptor, IPEndPoint EndPoint)
{
    /// <summary>
    /// The inherited socket a listen URL is served on, if any: the same port, and the same address, or for a URL on
    /// every address (<c>0.0.0.0</c>, <c>*</c>, <c>[::]</c>) a socket on every address (systemd's <c>ListenStream=8080</c>
    /// is <c>[::]:8080</c>, IPv4 included).
    /// </summary>
    public static InheritedSocket? For(string url, IReadOnlyList<InheritedSocket> inherited)
    {
        var (address, port, _) = KestrelListeners.Parse(url);
        var any = address is null || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);
        return inherited.FirstOrDefault(socket => socket.EndPoint.Port == port && (any
            ? socket.EndPoint.Address.Equals(IPAddress.Any) || socket.EndPoint.Address.Equals(IPAddress.IPv6Any)
            : Comparable(socket.EndPoint.Address).Equals(Comparable(address!))));
    }

    private static IPAddress Comparable(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
