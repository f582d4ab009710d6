using System.Globalization;
using System.Text;

namespace GradientNode.Core.Gpus;

/// <summary>Per-GPU Prometheus series from the last inventory poll. Pure.</summary>
public static class GpuMetrics
{
    public static void Write(StringBuilder text, GpuSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.Devices.Count == 0)
        {
            return;
        }

        text.Append("# HELP gradient_gpu_utilization_percent GPU utilisation from nvidia-smi.\n# TYPE gradient_gpu_utilization_percent gauge\n");
        foreach (var d in snapshot.Devices.Where(d => d.UtilizationPercent is not null))
        {
            text.Append(CultureInfo.InvariantCulture, $"gradient_gpu_utilization_percent{{gpu=\"{d.Index}\",uuid=\"{d.Uuid}\"}} {d.UtilizationPercent}\n");
        }

        text.Append("# HELP gradient_gpu_memory_used_bytes GPU memory in use from nvidia-smi.\n# TYPE gradient_gpu_memory_used_bytes gauge\n");
        foreach (var d in snapshot.Devices.Where(d => d.MemoryUsedMiB is not null))
        {
            text.Append(CultureInfo.InvariantCulture, $"gradient_gpu_memory_used_bytes{{gpu=\"{d.Index}\",uuid=\"{d.Uuid}\"}} {d.MemoryUsedMiB * 1024 * 1024}\n");
        }

        text.Append("# HELP gradient_gpu_memory_total_bytes GPU memory from nvidia-smi.\n# TYPE gradient_gpu_memory_total_bytes gauge\n");
        foreach (var d in snapshot.Devices.Where(d => d.MemoryTotalMiB is not null))
        {
            text.Append(CultureInfo.InvariantCulture, $"gradient_gpu_memory_total_bytes{{gpu=\"{d.Index}\",uuid=\"{d.Uuid}\"}} {d.MemoryTotalMiB * 1024 * 1024}\n");
        }
    }
}
