using GradientNode.Core.Common;
using GradientNode.Core.Engine;
using NUnit.Framework;

namespace GradientNode.Tests.Engine;

[TestFixture]
[Category("Unit")]
internal sealed class GpuVisibilityTests
{
    [TestCase("NVIDIA_VISIBLE_DEVICES=all")]
    [TestCase("NVIDIA_VISIBLE_DEVICES=0,1")]
    [TestCase("NVIDIA_VISIBLE_DEVICES")]
    [TestCase("NVIDIA_VISIBLE_DEVICES=")]
    public void Confine_NoGpusFromTheAllocatorAndTheSpecAsksForSome_VoidOnlyAndOtherEnvKept(string asked)
    {
        var request = new ContainerCreateRequest { Name = "c", Image = "i", Env = ["A=1", asked, "NVIDIA_VISIBLE_DEVICES_X=keep"] };

        var confined = GpuVisibility.Confine(request);

        Assert.That(confined.Env, Is.EqualTo(new[] { "A=1", "NVIDIA_VISIBLE_DEVICES_X=keep", "NVIDIA_VISIBLE_DEVICES=void" }.Concat(NvidiaToolkitEnv.Forced)));
    }

    [Test]
    public void Confine_NothingAsked_VoidAdded()
    {
        // An image's own ENV NVIDIA_VISIBLE_DEVICES=all (nvidia/cuda) is overridden by the container's value.
        var confined = GpuVisibility.Confine(new ContainerCreateRequest { Name = "c", Image = "nvidia/cuda:12.4.1-base-ubuntu22.04" });

        Assert.That(confined.Env, Is.EqualTo(new[] { "NVIDIA_VISIBLE_DEVICES=void" }.Concat(NvidiaToolkitEnv.Forced)));
    }

    [Test]
    public void Confine_GpusLeasedByTheAllocator_TheLeasesDevicesAndCapabilitiesKept()
    {
        var request = new ContainerCreateRequest
        {
            Name = "c",
            Image = "i",
            Labels = new Dictionary<string, string> { [ContainerLabels.Gpus] = "GPU-1" },
            Env = ["NVIDIA_VISIBLE_DEVICES=GPU-1", "NVIDIA_DRIVER_CAPABILITIES=compute,utility,video"],
        };

        Assert.That(
            GpuVisibility.Confine(request).Env,
            Is.EqualTo(new[] { "NVIDIA_VISIBLE_DEVICES=GPU-1", "NVIDIA_DRIVER_CAPABILITIES=compute,utility,video" }.Concat(NvidiaToolkitEnv.Forced)));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Confine_EnvAsksTheToolkitForMigControlAndHostDevices_DroppedAndTheNodesValuesLastForGpuAndCpuContainers(bool leased)
    {
        // The toolkit reads these from the container's env (the image's ENV as much as the spec's): MIG control,
        // IMEX channels, GDRCopy, GPUDirect Storage, MOFED and NVSwitch device nodes of the host.
        var request = new ContainerCreateRequest
        {
            Name = "c",
            Image = "i",
            Labels = leased ? new Dictionary<string, string> { [ContainerLabels.Gpus] = "GPU-1" } : new Dictionary<string, string>(),
            Env =
            [
                .. leased ? new[] { "NVIDIA_VISIBLE_DEVICES=GPU-1" } : [],
                "NVIDIA_MIG_CONFIG_DEVICES=all", "NVIDIA_MIG_MONITOR_DEVICES=all", "NVIDIA_IMEX_CHANNELS=0", "NVIDIA_GDRCOPY=enabled",
                "NVIDIA_GDS=enabled", "NVIDIA_MOFED=enabled", "NVIDIA_NVSWITCH=enabled", "NVIDIA_TF32_OVERRIDE=0", "NVIDIA_REQUIRE_CUDA=cuda>=12.0",
            ],
        };

        var env = GpuVisibility.Confine(request).Env;

        string[] expected = leased
            ? ["NVIDIA_VISIBLE_DEVICES=GPU-1", "NVIDIA_TF32_OVERRIDE=0", "NVIDIA_REQUIRE_CUDA=cuda>=12.0", "NVIDIA_DRIVER_CAPABILITIES=compute,utility"]
            : ["NVIDIA_TF32_OVERRIDE=0", "NVIDIA_REQUIRE_CUDA=cuda>=12.0", "NVIDIA_VISIBLE_DEVICES=void"];
        Assert.That(env, Is.EqualTo(expected.Concat(new[]
        {
            "NVIDIA_MIG_CONFIG_DEVICES", "NVIDIA_MIG_MONITOR_DEVICES", "NVIDIA_IMEX_CHANNELS=void", "NVIDIA_GDRCOPY=disabled",
            "NVIDIA_GDS=disabled", "NVIDIA_MOFED=disabled", "NVIDIA_NVSWITCH=disabled",
        })));
    }

    [TestCase("NVIDIA_DRIVER_CAPABILITIES=compute,display")]
    [TestCase("NVIDIA_DRIVER_CAPABILITIES=all,display")]
    [TestCase("NVIDIA_DRIVER_CAPABILITIES")]
    [TestCase("NVIDIA_DRIVER_CAPABILITIES=")]
    public void Confine_GpusLeasedAndCapabilitiesTheParsersRefuse_TheDefaultInstead(string asked)
    {
        var request = new ContainerCreateRequest
        {
            Name = "c",
            Image = "i",
            Labels = new Dictionary<string, string> { [ContainerLabels.Gpus] = "GPU-1" },
            Env = ["NVIDIA_VISIBLE_DEVICES=GPU-1", asked],
        };

        Assert.That(
            GpuVisibility.Confine(request).Env,
            Is.EqualTo(new[] { "NVIDIA_VISIBLE_DEVICES=GPU-1", "NVIDIA_DRIVER_CAPABILITIES=compute,utility" }.Concat(NvidiaToolkitEnv.Forced)));
    }

    [Test]
    public void Confine_GpusLeasedAndTheSpecAsksForAllCapabilities_EveryAllowedOneButNotDisplay()
    {
        var request = new ContainerCreateRequest
        {
            Name = "c",
            Image = "i",
            Labels = new Dictionary<string, string> { [ContainerLabels.Gpus] = "GPU-1" },
            Env = ["NVIDIA_VISIBLE_DEVICES=GPU-1", "NVIDIA_DRIVER_CAPABILITIES=all"],
        };

        Assert.That(
            GpuVisibility.Confine(request).Env,
            Is.EqualTo(new[] { "NVIDIA_VISIBLE_DEVICES=GPU-1", "NVIDIA_DRIVER_CAPABILITIES=compute,compat32,graphics,utility,video,ngx" }.Concat(NvidiaToolkitEnv.Forced)));
    }
}
