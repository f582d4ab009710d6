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

        Assert.That(confined.Env, Is.EqualTo(new[] { "A=1", "NVIDIA_VISIBLE_DEVICES_X=keep", "NVIDIA_VISIBLE_DEVICES=void" }));
    }

    [Test]
    public void Confine_NothingAsked_VoidAdded()
    {
        // An image's own ENV NVIDIA_VISIBLE_DEVICES=all (nvidia/cuda) is overridden by the container's value.
        var confined = GpuVisibility.Confine(new ContainerCreateRequest { Name = "c", Image = "nvidia/cuda:12.4.1-base-ubuntu22.04" });

        Assert.That(confined.Env, Is.EqualTo(new[] { "NVIDIA_VISIBLE_DEVICES=void" }));
    }

    [Test]
    public void Confine_GpusLeasedByTheAllocator_TheLeasesDevicesKept()
    {
        var request = new ContainerCreateRequest
        {
            Name = "c",
            Image = "i",
            Labels = new Dictionary<string, string> { [ContainerLabels.Gpus] = "GPU-1" },
            Env = ["NVIDIA_VISIBLE_DEVICES=GPU-1"],
        };

        Assert.That(GpuVisibility.Confine(request), Is.SameAs(request));
    }
}
