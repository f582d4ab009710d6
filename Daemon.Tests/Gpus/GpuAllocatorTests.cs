using GradientNode.Core.Engine;
using GradientNode.Core.Gpus;
using NUnit.Framework;

namespace GradientNode.Tests.Gpus;

[TestFixture]
[Category("Unit")]
internal sealed class GpuAllocatorTests
{
    private static readonly MachineType A100 = MachineTypeTable.BuiltIn.Find("A100-80G")!;
    private static readonly MachineType A100x2 = MachineTypeTable.BuiltIn.Find("A100-80Gx2")!;

    private static readonly IReadOnlyList<GpuDevice> Two =
    [
        new(0, "GPU-0", "NVIDIA A100-SXM4-80GB", 81920, 0, 0, true),
        new(1, "GPU-1", "NVIDIA A100-SXM4-80GB", 81920, 0, 0, true),
    ];

    [Test]
    public void Allocate_FreeGpus_GivesLowestIndexFirst()
    {
        var allocation = GpuAllocator.Allocate(A100, Two, new Dictionary<string, string>(), modelMustMatch: false);

        Assert.That(allocation.Granted, Is.True);
        Assert.That(allocation.Devices.Select(d => d.Uuid), Is.EqualTo(new[] { "GPU-0" }));
    }

    [Test]
    public void Allocate_OneHeld_NeverGivesItAgain()
    {
        var allocation = GpuAllocator.Allocate(A100, Two, new Dictionary<string, string> { ["GPU-0"] = "llm-0" }, modelMustMatch: false);

        Assert.That(allocation.Devices.Select(d => d.Uuid), Is.EqualTo(new[] { "GPU-1" }));
    }

    [Test]
    public void Allocate_AllHeld_WaitsWithWhoHoldsThem()
    {
        var held = new Dictionary<string, string> { ["GPU-0"] = "llm-0", ["GPU-1"] = "llm-1" };

        var allocation = GpuAllocator.Allocate(A100, Two, held, modelMustMatch: false);

        Assert.That(allocation.Granted, Is.False);
        Assert.That(allocation.WaitMessage, Is.EqualTo("needs 1 GPU of A100-80G, 0 of 2 free: held by llm-0 (GPU 0), llm-1 (GPU 1)"));
    }

    [Test]
    public void Allocate_MultiGpuTypeOnSmallerBox_WaitsAndSaysTheBoxIsTooSmall()
    {
        var allocation = GpuAllocator.Allocate(MachineTypeTable.BuiltIn.Find("A100-80Gx8")!, Two, new Dictionary<string, string>(), modelMustMatch: false);

        Assert.That(allocation.WaitMessage, Is.EqualTo("needs 8 GPUs of A100-80Gx8, 2 of 2 free: this node has only 2"));
    }

    [Test]
    public void Allocate_TwoGpuType_GetsTwoWholeGpus()
    {
        var allocation = GpuAllocator.Allocate(A100x2, Two, new Dictionary<string, string>(), modelMustMatch: false);

        Assert.That(allocation.Devices.Select(d => d.Uuid), Is.EqualTo(new[] { "GPU-0", "GPU-1" }));
    }

    [Test]
    public void Allocate_CpuType_GetsNoGpus()
    {
        var allocation = GpuAllocator.Allocate(MachineTypeTable.BuiltIn.Find("C4")!, Two, new Dictionary<string, string>(), modelMustMatch: false);

        Assert.That(allocation.Granted, Is.True);
        Assert.That(allocation.Devices, Is.Empty);
    }

    [Test]
    public void Allocate_CpuBox_WaitsAndSaysSo()
    {
        var allocation = GpuAllocator.Allocate(A100, [], new Dictionary<string, string>(), modelMustMatch: false, "no nvidia-smi on PATH");

        Assert.That(allocation.WaitMessage, Is.EqualTo("needs 1 GPU of A100-80G, 0 of 0 free: this node has no GPUs (no nvidia-smi on PATH)"));
    }

    [Test]
    public void Allocate_ModelMustMatchAndOtherModel_Waits()
    {
        IReadOnlyList<GpuDevice> h100 = [new(0, "GPU-0", "NVIDIA H100 80GB HBM3", 81559, 0, 0, true)];

        var strict = GpuAllocator.Allocate(A100, h100, new Dictionary<string, string>(), modelMustMatch: true);
        var loose = GpuAllocator.Allocate(A100, h100, new Dictionary<string, string>(), modelMustMatch: false);

        Assert.That(strict.WaitMessage, Does.Contain("none of this node's 1 GPUs is a A100 80GB (it has NVIDIA H100 80GB HBM3"));
        Assert.That(loose.Granted, Is.True);
    }

    [Test]
    public void HeldBy_ContainersWithLabels_RebuildsTheAssignmentAndIgnoresExitedOnes()
    {
        ContainerSummary[] containers =
        [
            Container("a", "running", "llm", "0", "GPU-0"),
            Container("b", "created", "llm", "1", "GPU-1,GPU-2"),
            Container("c", "exited", "old", "0", "GPU-3"),
            Container("d", "running", "web", "0", null),
        ];

        var held = GpuAllocator.HeldBy(containers);

        Assert.That(held, Is.EquivalentTo(new Dictionary<string, string> { ["GPU-0"] = "llm-0", ["GPU-1"] = "llm-1", ["GPU-2"] = "llm-1" }));
    }

    [Test]
    public void HeldBy_WorkflowJobContainer_NamesTheJobOfItsRun()
    {
        var labels = new Dictionary<string, string> { [ContainerLabels.Workflow] = "train", [ContainerLabels.Run] = "3", [ContainerLabels.Job] = "fit", [ContainerLabels.Gpus] = "GPU-0" };

        var held = GpuAllocator.HeldBy([new ContainerSummary("j", "j", "img", labels, "running", "running", DateTimeOffset.UnixEpoch)]);

        Assert.That(held["GPU-0"], Is.EqualTo("job fit of workflow train run 3"));
    }

    [Test]
    public void Allocate_AfterRebuildFromLabels_NeverDoubleAssigns()
    {
        var held = GpuAllocator.HeldBy([Container("a", "running", "llm", "0", "GPU-1")]);

        var first = GpuAllocator.Allocate(A100, Two, held, modelMustMatch: false);
        var second = GpuAllocator.Allocate(A100, Two, new Dictionary<string, string>(held) { ["GPU-0"] = "llm-1" }, modelMustMatch: false);

        Assert.That(first.Devices.Single().Uuid, Is.EqualTo("GPU-0"));
        Assert.That(second.Granted, Is.False);
    }

    private static ContainerSummary Container(string id, string state, string slug, string index, string? gpus)
    {
        var labels = new Dictionary<string, string> { ["gradient.deployment"] = slug, ["gradient.replica"] = index };
        if (gpus is not null)
        {
            labels[ContainerLabels.Gpus] = gpus;
        }

        return new ContainerSummary(id, id, "img", labels, state, state, DateTimeOffset.UnixEpoch);
    }
}
