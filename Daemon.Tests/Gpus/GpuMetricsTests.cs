using System.Text;
using GradientNode.Core.Gpus;
using NUnit.Framework;

namespace GradientNode.Tests.Gpus;

[TestFixture]
[Category("Unit")]
internal sealed class GpuMetricsTests
{
    [Test]
    public void Write_TwoGpus_UtilisationAndMemoryPerGpu()
    {
        var snapshot = new GpuSnapshot([new(0, "GPU-a", "H100", 81559, 1024, 57, true), new(1, "GPU-b", "H100", 81559, null, null, true)], true, null, DateTimeOffset.UnixEpoch);
        var text = new StringBuilder();

        GpuMetrics.Write(text, snapshot);

        Assert.That(text.ToString(), Does.Contain("gradient_gpu_utilization_percent{gpu=\"0\",uuid=\"GPU-a\"} 57\n")
            .And.Contain("gradient_gpu_memory_used_bytes{gpu=\"0\",uuid=\"GPU-a\"} 1073741824\n")
            .And.Contain("gradient_gpu_memory_total_bytes{gpu=\"1\",uuid=\"GPU-b\"} 85520809984\n")
            .And.Not.Contain("gradient_gpu_utilization_percent{gpu=\"1\""));
    }

    [Test]
    public void Write_CpuBox_Nothing()
    {
        var text = new StringBuilder();

        GpuMetrics.Write(text, GpuSnapshot.Empty);

        Assert.That(text.ToString(), Is.Empty);
    }
}
