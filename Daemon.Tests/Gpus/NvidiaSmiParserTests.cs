using GradientNode.Core.Gpus;
using NUnit.Framework;

namespace GradientNode.Tests.Gpus;

[TestFixture]
[Category("Unit")]
internal sealed class NvidiaSmiParserTests
{
    // Exactly as nvidia-smi --query-gpu=index,uuid,name,memory.total,memory.used,utilization.gpu,persistence_mode --format=csv,noheader,nounits prints it.
    private const string FourH100 = """
        0, GPU-6d2c2bcf-8c4e-1f0a-2b3c-4d5e6f708192, NVIDIA H100 80GB HBM3, 81559, 0, 0, Enabled
        1, GPU-7e3d3cd0-9d5f-2a1b-3c4d-5e6f70819203, NVIDIA H100 80GB HBM3, 81559, 1234, 57, Enabled
        2, GPU-8f4e4de1-ae60-3b2c-4d5e-6f7081920314, NVIDIA H100 80GB HBM3, 81559, 0, 0, Disabled
        3, GPU-90515ef2-bf71-4c3d-5e6f-708192031425, NVIDIA H100 80GB HBM3, 81559, 80000, 100, Enabled

        """;

    [Test]
    public void ParseQuery_RealFormat_ReadsEveryField()
    {
        var gpus = NvidiaSmiParser.ParseQuery(FourH100);

        Assert.That(gpus, Has.Count.EqualTo(4));
        Assert.That(gpus[1], Is.EqualTo(new GpuDevice(1, "GPU-7e3d3cd0-9d5f-2a1b-3c4d-5e6f70819203", "NVIDIA H100 80GB HBM3", 81559, 1234, 57, true)));
        Assert.That(gpus[2].PersistenceMode, Is.False);
        Assert.That(gpus.Select(g => g.Index), Is.EqualTo(new[] { 0, 1, 2, 3 }));
    }

    [Test]
    public void ParseQuery_NotAvailableFields_AreNull()
    {
        var gpus = NvidiaSmiParser.ParseQuery("0, GPU-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee, NVIDIA A100-SXM4-80GB, 81920, [N/A], [Not Supported], [N/A]\n");

        Assert.That(gpus.Single(), Is.EqualTo(new GpuDevice(0, "GPU-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", "NVIDIA A100-SXM4-80GB", 81920, null, null, null)));
    }

    [Test]
    public void ParseQuery_CrlfAndGarbageLines_SkipsWhatIsNotAGpu()
    {
        var gpus = NvidiaSmiParser.ParseQuery("No devices were found\r\n0, GPU-1, Tesla V100-SXM2-32GB, 32768, 0, 0, Enabled\r\n");

        Assert.That(gpus.Single().Name, Is.EqualTo("Tesla V100-SXM2-32GB"));
    }

    [Test]
    public void ParseQuery_NameWithComma_KeepsTheName()
    {
        var gpus = NvidiaSmiParser.ParseQuery("0, GPU-1, Some GPU, Rev 2, 1024, 10, 5, Enabled\n");

        Assert.That(gpus.Single().Name, Is.EqualTo("Some GPU, Rev 2"));
        Assert.That(gpus.Single().MemoryTotalMiB, Is.EqualTo(1024));
    }

    [Test]
    public void ParseQuery_WithTemperature_ReadsItInCelsius()
    {
        var gpus = NvidiaSmiParser.ParseQuery("0, GPU-1, NVIDIA H200, 143771, 512, 3, Enabled, 34\n1, GPU-2, Some GPU, Rev 2, 1024, 10, 5, Disabled, [N/A]\n");

        Assert.That(gpus[0], Is.EqualTo(new GpuDevice(0, "GPU-1", "NVIDIA H200", 143771, 512, 3, true, 34)));
        Assert.That(gpus[1], Is.EqualTo(new GpuDevice(1, "GPU-2", "Some GPU, Rev 2", 1024, 10, 5, false)));
        Assert.That(NvidiaSmiParser.QueryFields, Does.EndWith(",temperature.gpu"));
    }

    [Test]
    public void ParseQuery_Empty_NoGpus()
    {
        Assert.That(NvidiaSmiParser.ParseQuery(string.Empty), Is.Empty);
    }

    [Test]
    public void ParseMig_ListWithMigDevices_GroupsThemUnderTheirGpu()
    {
        const string list = """
            GPU 0: NVIDIA A100-SXM4-80GB (UUID: GPU-5d5ba0d6-d33d-2b2c-524d-9e3d8d2b8a77)
              MIG 1g.10gb     Device  0: (UUID: MIG-c6d4f1ef-42e4-5de3-91c7-45d71c87eb3f)
              MIG 1g.10gb     Device  1: (UUID: MIG-cba663e8-9bed-5b7a-bb7d-1d1e6ea3d4e9)
            GPU 1: NVIDIA A100-SXM4-80GB (UUID: GPU-6e6cb1e7-e44e-3c3d-635e-af4e9e3c9b88)
            """;

        var mig = NvidiaSmiParser.ParseMig(list);

        Assert.That(mig.Keys, Is.EquivalentTo(new[] { "GPU-5d5ba0d6-d33d-2b2c-524d-9e3d8d2b8a77" }));
        Assert.That(mig["GPU-5d5ba0d6-d33d-2b2c-524d-9e3d8d2b8a77"], Is.EqualTo(new[]
        {
            "MIG-c6d4f1ef-42e4-5de3-91c7-45d71c87eb3f",
            "MIG-cba663e8-9bed-5b7a-bb7d-1d1e6ea3d4e9",
        }));
    }

    [Test]
    public void VisibleDeviceIds_MigOn_AreTheMigDevices()
    {
        var gpu = new GpuDevice(0, "GPU-1", "A100", null, null, null, null) { MigDevices = ["MIG-a", "MIG-b"] };

        Assert.That(gpu.VisibleDeviceIds, Is.EqualTo(new[] { "MIG-a", "MIG-b" }));
        Assert.That((gpu with { MigDevices = [] }).VisibleDeviceIds, Is.EqualTo(new[] { "GPU-1" }));
    }
}
