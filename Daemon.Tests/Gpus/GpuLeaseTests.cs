using GradientNode.Core.Engine;
using GradientNode.Core.Gpus;
using NUnit.Framework;

namespace GradientNode.Tests.Gpus;

[TestFixture]
[Category("Unit")]
internal sealed class GpuLeaseTests
{
    private static readonly MachineType A100x2 = MachineTypeTable.BuiltIn.Find("A100-80Gx2")!;

    private static readonly IReadOnlyList<GpuDevice> Gpus =
    [
        new(2, "GPU-2", "NVIDIA A100-SXM4-80GB", 81920, 0, 0, true),
        new(3, "GPU-3", "NVIDIA A100-SXM4-80GB", 81920, 0, 0, true),
    ];

    private static readonly ContainerCreateRequest Request = new()
    {
        Name = "gradient-llm-0-abcdef",
        Image = "img",
        Env = ["A=1"],
        Labels = new Dictionary<string, string> { ["gradient.deployment"] = "llm" },
    };

    [Test]
    public void Apply_SpecNamesDriverCapabilities_TheSpecsKeptAndNoDefaultAfterIt()
    {
        // The spec may ask for video (NVENC) or graphics; the default written after it would have won in the toolkit.
        using var lease = new GpuLease(A100x2, Gpus, nvidiaRuntime: true, cpus: 2, waitMessage: null, heldLock: null);

        var request = lease.Apply(Request with { Env = ["NVIDIA_DRIVER_CAPABILITIES=compute,utility,video"] });

        Assert.That(
            request.Env.Where(e => e.StartsWith("NVIDIA_DRIVER_CAPABILITIES", StringComparison.Ordinal)),
            Is.EqualTo(new[] { "NVIDIA_DRIVER_CAPABILITIES=compute,utility,video" }));
    }

    [Test]
    public void Apply_NvidiaRuntime_SetsRuntimeVisibleDevicesAndLabel()
    {
        using var lease = new GpuLease(A100x2, Gpus, nvidiaRuntime: true, cpus: 2, waitMessage: null, heldLock: null);

        var request = lease.Apply(Request);

        Assert.That(request.Runtime, Is.EqualTo("nvidia"));
        Assert.That(request.Gpus, Is.Null);
        Assert.That(request.Env, Does.Contain("NVIDIA_VISIBLE_DEVICES=GPU-2,GPU-3").And.Contain("A=1"));
        Assert.That(
            request.Env.Where(e => e.StartsWith("NVIDIA_DRIVER_CAPABILITIES", StringComparison.Ordinal)),
            Is.Empty,
            "the capabilities are GpuVisibility's, at the create");
        Assert.That(request.Labels[ContainerLabels.Gpus], Is.EqualTo("GPU-2,GPU-3"));
        Assert.That(request.Labels["gradient.deployment"], Is.EqualTo("llm"));
        Assert.That(request.NanoCpus, Is.EqualTo(2_000_000_000));
        Assert.That(request.MemoryBytes, Is.EqualTo(A100x2.MemoryBytes));
    }

    [Test]
    public void Apply_NoRuntimeAlias_DeviceRequestsCarryTheUuids()
    {
        using var lease = new GpuLease(A100x2, Gpus, nvidiaRuntime: false, cpus: 2, waitMessage: null, heldLock: null);

        var request = lease.Apply(Request);
        var device = DockerModelMapper.ToCreateParameters(request).HostConfig!.DeviceRequests.Single();

        Assert.That(request.Runtime, Is.Null);
        Assert.That(request.Gpus!.DeviceIds, Is.EqualTo(new[] { "GPU-2", "GPU-3" }));
        Assert.That(device.Driver, Is.EqualTo("nvidia"));
        Assert.That(device.DeviceIDs, Is.EqualTo(new[] { "GPU-2", "GPU-3" }));
        Assert.That(device.Capabilities, Is.EqualTo(new[] { new[] { "gpu" } }));
        Assert.That(device.Count, Is.Zero, "Docker refuses a Count together with DeviceIDs");
    }

    [Test]
    public void Apply_CpuType_OnlyLimits()
    {
        using var lease = new GpuLease(MachineTypeTable.BuiltIn.Find("C5")!, [], nvidiaRuntime: true, cpus: 2, waitMessage: null, heldLock: null);

        var request = lease.Apply(Request);

        Assert.That(request.Runtime, Is.Null);
        Assert.That(request.Gpus, Is.Null);
        Assert.That(request.Labels.ContainsKey(ContainerLabels.Gpus), Is.False);
        Assert.That(request.Env, Is.EqualTo(new[] { "A=1" }));
        Assert.That(request.NanoCpus, Is.EqualTo(2_000_000_000));
        Assert.That(request.MemoryBytes, Is.EqualTo(8L * 1024 * 1024 * 1024));
    }

    [Test]
    public void Explain_DeviceDriverError_SaysWhatToInstall()
    {
        var message = GpuAssigner.Explain("could not select device driver \"nvidia\" with capabilities: [[gpu]]");

        Assert.That(message, Does.StartWith("Docker cannot give GPUs to containers").And.Contain("NVIDIA Container Toolkit").And.EndWith("could not select device driver \"nvidia\" with capabilities: [[gpu]]"));
        Assert.That(GpuAssigner.Explain("other"), Is.EqualTo("other"));
    }
}
