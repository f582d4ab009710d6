using System.Globalization;
using System.Net.Sockets;

namespace GradientNode.Core.Reconciliation;

/// <summary>
/// Why a replica's port check failed, in words that tell the cases apart: a refusal means the container is reachable
/// but nothing listens yet; no answer at all, or an unreachable host, points at the path from this host to the
/// container's network (a firewall, two routes to one bridge subnet), not at the program in it.
/// </summary>
public static class PortCheckFailure
{
    /// <summary>The refused check: reachable, nothing listening.</summary>
    public static string Refused(int port) =>
        $"port {port} refuses connections (waiting for a server in the container to listen on it, on 0.0.0.0)";

    /// <summary>No answer within <paramref name="timeout"/>, not even a refusal.</summary>
    public static string Silent(string ip, int port, TimeSpan timeout) => string.Create(CultureInfo.InvariantCulture,
        $"port {port} at {ip} did not answer within {timeout.TotalSeconds:0.#}s, not even with a refusal (a server too busy to accept, or this host does not reach the container: check `ip route get {ip}`)");

    /// <summary>Any other connect error.</summary>
    public static string Failed(string ip, int port, SocketError error) => error switch
    {
        SocketError.ConnectionRefused => Refused(port),
        SocketError.HostUnreachable or SocketError.NetworkUnreachable =>
            $"port {port} at {ip} could not be reached ({error}: this host has no working route to the container's network; check `ip route get {ip}`)",
        _ => $"port {port} at {ip} could not be reached ({error})",
    };
}
