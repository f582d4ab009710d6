using System.Globalization;
using GradientNode.Core.Gpus;
using k8s.Models;

namespace GradientNode.Core.Export;

/// <summary>A machine type of our table as container resources: requests = limits (CPU, memory), GPUs as <c>nvidia.com/gpu</c> limits.</summary>
internal static class MachineResources
{
    public const string GpuResource = "nvidia.com/gpu";
    private const long MiB = 1024L * 1024;

    /// <summary>Null (with a warning) for a machine type the table does not know.</summary>
    public static V1ResourceRequirements? For(ExportContext context, string field, string machineType, out MachineType? type)
    {
        type = context.Options.MachineTypes.Find(machineType);
        if (type is null)
        {
            context.Warn(field, $"machine type '{machineType}' is not in the machine-type table; no resources set");
            return null;
        }

        var cpu = type.Cpus.ToString(CultureInfo.InvariantCulture);
        var memory = $"{type.MemoryBytes / MiB}Mi";
        var requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu), ["memory"] = new(memory) };
        var limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu), ["memory"] = new(memory) };
        if (type.HasGpus)
        {
            limits[GpuResource] = new ResourceQuantity(type.Gpus.ToString(CultureInfo.InvariantCulture));
        }

        return new V1ResourceRequirements { Requests = requests, Limits = limits };
    }

    /// <summary>The GPU taint most clusters put on GPU nodes; tolerated by every GPU pod.</summary>
    public static List<V1Toleration>? Tolerations(MachineType? type) =>
        type is { HasGpus: true } ? [new V1Toleration { Key = GpuResource, OperatorProperty = "Exists", Effect = "NoSchedule" }] : null;

    public static Dictionary<string, string>? NodeSelector(ExportOptions options) =>
        options.NodeSelector.Count == 0 ? null : new Dictionary<string, string>(options.NodeSelector);
}
