using GradientNode.Core.Gpus;
using NUnit.Framework;

namespace GradientNode.Tests.Gpus;

[TestFixture]
[Category("Unit")]
internal sealed class GpuLossMatcherTests
{
    private const string NoNvidiaSmi =
        "OCI runtime exec failed: exec failed: unable to start container process: exec: \"nvidia-smi\": executable file not found in $PATH: unknown\r\n";

    [TestCase(255, "Failed to initialize NVML: Unknown Error\n", "GPU lost: Failed to initialize NVML: Unknown Error")]
    [TestCase(18, "Failed to initialize NVML: Driver/library version mismatch\nNVML library version: 535.183\n", "GPU lost: Failed to initialize NVML: Driver/library version mismatch")]
    [TestCase(15, "Unable to determine the device handle for GPU0000:3B:00.0: GPU is lost.  Reboot the system to recover this GPU\n", "GPU lost: Unable to determine the device handle for GPU0000:3B:00.0: GPU is lost.  Reboot the system to recover this GPU")]
    [TestCase(0, "GPU 0: NVIDIA A100-SXM4-80GB (UUID: GPU-a)\nUnable to determine the device handle for GPU 0000:3B:00.0: Unknown Error\n", "GPU lost: Unable to determine the device handle for GPU 0000:3B:00.0: Unknown Error")]
    [TestCase(9, "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.\n\n", "GPU lost: NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.")]
    [TestCase(15, "", "GPU lost: nvidia-smi exited with 15 (the GPU has fallen off the bus or is otherwise inaccessible)")]
    public void LostReason_NvmlCannotReachTheGpu_SaysGpuLostWithTheLine(int exitCode, string output, string expected)
    {
        Assert.That(GpuLossMatcher.LostReason(exitCode, output), Is.EqualTo(expected));
    }

    [TestCase(0, "GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-6d2c2bcf-1b3e-4d5f-8a9b-0c1d2e3f4a5b)\n")]
    [TestCase(0, "GPU 0: NVIDIA A100-SXM4-80GB (UUID: GPU-a)\n  MIG 3g.40gb     Device  0: (UUID: MIG-x)\n")]
    [TestCase(6, "No devices were found\n")]
    [TestCase(12, "NVIDIA-SMI couldn't find libnvidia-ml.so library in your system. Please make sure that the NVIDIA Display Driver is properly installed and present in your system.\n")]
    [TestCase(126, NoNvidiaSmi)]
    public void LostReason_AnswerOrUnrelatedFailure_IsNull(int exitCode, string output)
    {
        Assert.That(GpuLossMatcher.LostReason(exitCode, output), Is.Null);
    }

    [TestCase(NoNvidiaSmi)]
    [TestCase("OCI runtime exec failed: exec failed: unable to start container process: exec: \"nvidia-smi\": stat nvidia-smi: no such file or directory: unknown")]
    public void IsMissingNvidiaSmi_ExecCannotFindIt_IsTrue(string text)
    {
        Assert.That(GpuLossMatcher.IsMissingNvidiaSmi(text), Is.True);
    }

    [TestCase("Failed to initialize NVML: Unknown Error\n")]
    [TestCase("Container 9b1c0d2e3f4a is not running")]
    [TestCase("GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-a)\n")]
    public void IsMissingNvidiaSmi_OtherText_IsFalse(string text)
    {
        Assert.That(GpuLossMatcher.IsMissingNvidiaSmi(text), Is.False);
    }
}
