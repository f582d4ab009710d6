namespace GradientNode.Core.Networking;

/// <summary>The host's packet filter, as far as the node needs it: keep local users off the replicas' bridge.</summary>
public interface IHostFirewall
{
    /// <summary>
    /// Makes sure that only root can open connections from this host into <paramref name="bridge"/> (the proxy and the
    /// daemon run as root), and drops the node's rules for bridges that no longer exist. Null when the rules are in
    /// place, else why not (for the node's warnings); never throws for a missing tool or a refused rule.
    /// </summary>
    Task<string?> ProtectAsync(string bridge, CancellationToken cancellationToken);

    /// <summary>
    /// Removes the node's own rules naming exactly <paramref name="bridge"/> (once its network is gone), and no other
    /// rule. Null when none is left, else why not; never throws for a missing tool or a refusal.
    /// </summary>
    Task<string?> UnprotectAsync(string bridge, CancellationToken cancellationToken);
}
