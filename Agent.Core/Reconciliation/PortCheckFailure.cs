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
    /// <summary>
    /// The refused check: reachable, nothing listening. <paramref name="exposed"/>: the ports the container exposes (its
    /// image's <c>EXPOSE</c> and its own); any other than <paramref name="port"/> are named, since a spec whose port is not
    /// the one the image's server listens on is the usual cause of a refusal that never ends.
    /// </summary>
    public static string Refused(int port, IReadOnlyList<int>? exposed = null)
    {
        var message = $"port {port} refuses connections (waiting for a server in the container to listen on it, on 0.0.0.0)";
        var others = exposed?.Where(p => p != port).Distinct().Order().ToList() ?? [];
        return others.Count == 0
            ? message
            : string.Create(CultureInfo.InvariantCulture, $"{message}; the container also exposes {string.Join(", ", others)}: the first of resources.ports ({port}) is the port checked and served");
    }

    /// <summary>No answer within <paramref name="timeout"/>, not even a refusal.</summary>
    public static string Silent(string ip, int port, TimeSpan timeout) => string.Create(CultureInfo.InvariantCulture,
        $"port {port} at {ip} did not answer within {timeout.TotalSeconds:0.#}s, not even with a refusal (a server too busy to accept, or this host does not reach the container: check `ip route get {ip}`)");

    /// <summary>Any other connect error; <paramref name="exposed"/> as for <see cref="Refused"/>.</summary>
    public static string Failed(string ip, int port, SocketError error, IReadOnlyList<int>? exposed = null) => error switch
    {
        SocketError.ConnectionRefused => Refused(port, exposed),
        SocketError.HostUnreachable or SocketError.NetworkUnreachable =>
            $"port {port} at {ip} could not be reached ({error}: this host has no working route to the container's network; check `ip route get {ip}`)",
        _ => $"port {port} at {ip} could not be reached ({error})",
    };
}
