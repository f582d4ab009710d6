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

    /// <summary>
    /// The capabilities of <see cref="Dropped"/> that a container created without <paramref name="capDrop"/>
    /// (<see cref="ContainerDetails.CapDrop"/>) still holds: an earlier version of the node created it with Docker's
    /// default set. Empty when it drops them all.
    /// </summary>
    public static IReadOnlyList<string> HeldDespite(IReadOnlyList<string> capDrop)
    {
        ArgumentNullException.ThrowIfNull(capDrop);
        return [.. Dropped.Where(cap => !capDrop.Any(d => Same(d, cap)))];
    }

    // Docker accepts and keeps both spellings: NET_RAW and CAP_NET_RAW, in any case.
    private static bool Same(string written, string capability) =>
        string.Equals(written.StartsWith("CAP_", StringComparison.OrdinalIgnoreCase) ? written[4..] : written, capability, StringComparison.OrdinalIgnoreCase)
        || string.Equals(written, "ALL", StringComparison.OrdinalIgnoreCase);
}
