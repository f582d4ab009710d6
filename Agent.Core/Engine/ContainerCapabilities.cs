namespace GradientNode.Core.Engine;

/// <summary>
/// Capabilities every container the node creates (replicas and workflow jobs) goes without, of Docker's default set.
/// <c>NET_RAW</c>: with it a replica opened a packet socket, answered ARP for another deployment's replica address on
/// the replica network, and the host (the proxy) then sent that deployment's requests, headers and bodies included, to
/// it (found by the fifth adversary review; Kubernetes' baseline Pod Security leaves it out as well). Without it a
/// <c>ping</c> that uses ICMP datagram sockets (iputils) still works, as Docker sets <c>ping_group_range</c>; busybox's does not.
/// </summary>
public static class ContainerCapabilities
{
    public static IReadOnlyList<string> Dropped { get; } = ["NET_RAW"];
}
