using System.Globalization;
using System.Text;
using GradientNode.Core.Common;

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

        PrometheusText.Family(text, "gradient_gpu_utilization_percent", "gauge", "GPU utilisation from nvidia-smi.");
        foreach (var d in snapshot.Devices.Where(d => d.UtilizationPercent is not null))
        {
            PrometheusText.Sample(text, "gradient_gpu_utilization_percent", d.UtilizationPercent!.Value, Labels(d));
        }

        PrometheusText.Family(text, "gradient_gpu_memory_used_bytes", "gauge", "GPU memory in use from nvidia-smi.");
        foreach (var d in snapshot.Devices.Where(d => d.MemoryUsedMiB is not null))
        {
            PrometheusText.Sample(text, "gradient_gpu_memory_used_bytes", d.MemoryUsedMiB!.Value * 1024 * 1024, Labels(d));
        }

        PrometheusText.Family(text, "gradient_gpu_memory_total_bytes", "gauge", "GPU memory from nvidia-smi.");
        foreach (var d in snapshot.Devices.Where(d => d.MemoryTotalMiB is not null))
        {
            PrometheusText.Sample(text, "gradient_gpu_memory_total_bytes", d.MemoryTotalMiB!.Value * 1024 * 1024, Labels(d));
        }
    }

    private static (string, string)[] Labels(GpuDevice d) => [("gpu", d.Index.ToString(CultureInfo.InvariantCulture)), ("uuid", d.Uuid)];
}
