using GradientNode.Core.Engine;

namespace GradientNode.Core.Reconciliation;

/// <summary>
/// Whether a replica's security-relevant creation settings differ from what this version of the node creates: such a
/// replica is out of date although its spec hash is current, and the planner replaces it by the same rolling update a
/// spec change gets (<see cref="ObservedReplica.IsCurrent"/>). Read from the inspect the observer makes anyway, so it
/// costs no engine call. A container labeled <see cref="ContainerLabels.CapDrop"/> was created by a version that drops
/// what the label names, whatever the engine's inspect says, so no replica this version creates ever drifts.
/// <para>
/// The set is the capabilities (<see cref="ContainerCapabilities.Dropped"/>, <c>NET_RAW</c>): it is the newest hardening
/// of a replica's creation, so a replica older than any other one (<c>PidsLimit</c>, json-file log rotation,
/// <c>NVIDIA_VISIBLE_DEVICES=void</c>, the replica network) holds <c>NET_RAW</c> too and is replaced with it. Operator
/// settings that may change (<c>--pids-limit</c>, <c>--log-max-size</c>, <c>--replica-network</c>) are not compared: a
/// change of one applies to new replicas and never restarts the ones that run.
/// </para>
/// </summary>
public static class CreationDrift
{
    /// <summary>e.g. <c>created with NET_RAW by an earlier version of the node</c>; null when the container is as this version creates one.</summary>
    public static string? Of(ContainerDetails details)
    {
        ArgumentNullException.ThrowIfNull(details);
        // A capability the creator says it dropped (label) is never drift: replacing the container would not change the
        // engine's answer, and the replicas would roll without end. gradient-node node still names it if the engine says so.
        var dropped = details.Labels.GetValueOrDefault(ContainerLabels.CapDrop)?.Split(',', StringSplitOptions.TrimEntries) ?? [];
        var held = ContainerCapabilities.HeldDespite(details.CapDrop).Except(dropped, StringComparer.OrdinalIgnoreCase).ToList();
        return held.Count > 0 ? $"created with {string.Join(", ", held)} by an earlier version of the node" : null;
    }
}
