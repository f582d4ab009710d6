using GradientNode.Core.Engine;

namespace GradientNode.Core.Gpus;

/// <summary>
/// Exclusive whole-GPU assignment, pure: given the GPUs and which replica holds each (from the containers'
/// <see cref="ContainerLabels.Gpus"/>), pick free ones for a new replica, lowest index first, or say why it must wait.
/// Never hands out a GPU that a container still holds.
/// </summary>
public static class GpuAllocator
{
    /// <summary>Docker states in which a container no longer holds its GPUs.</summary>
    private static readonly HashSet<string> Released = new(["exited", "dead", "removing"], StringComparer.Ordinal);

    public static GpuAllocation Allocate(MachineType type, IReadOnlyList<GpuDevice> devices, IReadOnlyDictionary<string, string> heldBy, bool modelMustMatch, string? inventoryNote = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(heldBy);
        if (!type.HasGpus)
        {
            return GpuAllocation.None;
        }

        var need = $"needs {type.Gpus} GPU{(type.Gpus == 1 ? "" : "s")} of {type.Name}";
        var eligible = devices.Where(d => !modelMustMatch || type.Matches(d.Name)).OrderBy(d => d.Index).ToList();
        var free = eligible.Where(d => !heldBy.ContainsKey(d.Uuid)).ToList();
        if (free.Count >= type.Gpus)
        {
            return new GpuAllocation(free.Take(type.Gpus).ToList(), null);
        }

        var counts = $"{need}, {free.Count} of {eligible.Count} free";
        if (devices.Count == 0)
        {
            return GpuAllocation.Wait($"{counts}: this node has no GPUs{(inventoryNote is null ? "" : $" ({inventoryNote})")}");
        }

        if (eligible.Count == 0)
        {
            var names = string.Join(", ", devices.Select(d => d.Name).Distinct(StringComparer.Ordinal));
            return GpuAllocation.Wait($"{counts}: none of this node's {devices.Count} GPUs is a {type.GpuModel} (it has {names}; gpuModelMustMatch is on)");
        }

        var holders = eligible.Where(d => heldBy.ContainsKey(d.Uuid)).Select(d => $"{heldBy[d.Uuid]} (GPU {d.Index})").ToList();
        var reasons = new List<string>();
        if (holders.Count > 0)
        {
            reasons.Add($"held by {string.Join(", ", holders)}");
        }

        if (eligible.Count < type.Gpus)
        {
            reasons.Add($"this node has only {eligible.Count}");
        }

        return GpuAllocation.Wait($"{counts}: {string.Join("; ", reasons)}");
    }

    /// <summary>Which replica (<c>slug-index</c>) holds each GPU UUID, from the node's containers' labels.</summary>
    public static IReadOnlyDictionary<string, string> HeldBy(IEnumerable<ContainerSummary> containers)
    {
        ArgumentNullException.ThrowIfNull(containers);
        var held = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var container in containers.Where(c => !Released.Contains(c.State)).OrderBy(c => c.Created))
        {
            var holder = container.Labels.TryGetValue(ContainerLabels.Workflow, out var workflow)
                ? $"job {container.Labels.GetValueOrDefault(ContainerLabels.Job, "?")} of workflow {workflow} run {container.Labels.GetValueOrDefault(ContainerLabels.Run, "?")}"
                : $"{container.Labels.GetValueOrDefault(ContainerLabels.Deployment, "?")}-{container.Labels.GetValueOrDefault(ContainerLabels.Replica, "?")}";
            foreach (var uuid in Uuids(container.Labels))
            {
                held.TryAdd(uuid, holder);
            }
        }

        return held;
    }

    /// <summary>The GPU UUIDs in a container's <see cref="ContainerLabels.Gpus"/>.</summary>
    public static IReadOnlyList<string> Uuids(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return labels.TryGetValue(ContainerLabels.Gpus, out var text) ? text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
    }
}
