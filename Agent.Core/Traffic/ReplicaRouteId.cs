namespace GradientNode.Core.Traffic;

/// <summary>
/// The id of a replica in the route table and in the proxy's figures: <c>&lt;slug&gt;-&lt;index&gt;/&lt;container id, 12 chars&gt;</c>,
/// so a replaced container at the same index is a new replica to the proxy.
/// </summary>
public static class ReplicaRouteId
{
    public static string Of(string slug, int index, string containerId)
    {
        ArgumentNullException.ThrowIfNull(containerId);
        return $"{slug}-{index}/{containerId[..Math.Min(12, containerId.Length)]}";
    }
}
