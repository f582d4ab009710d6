using GradientNode.Core.Gpus;
using NUnit.Framework;

namespace GradientNode.Tests.Gpus;

[TestFixture]
[Category("Unit")]
internal sealed class MachineTypeTableTests
{
    private const long GiB = 1024L * 1024 * 1024;

    [TestCase("C4", 0)]
    [TestCase("C7", 0)]
    [TestCase("P4000", 1)]
    [TestCase("RTX4000", 1)]
    [TestCase("A4000", 1)]
    [TestCase("A5000", 1)]
    [TestCase("A6000", 1)]
    [TestCase("V100", 1)]
    [TestCase("V100-32G", 1)]
    [TestCase("A100", 1)]
    [TestCase("a100-80g", 1)]
    [TestCase("H100", 1)]
    [TestCase("A100-80Gx8", 8)]
    [TestCase("H100x8", 8)]
    [TestCase("A6000x2", 2)]
    public void Find_BuiltInName_HasItsGpuCount(string name, int gpus)
    {
        Assert.That(MachineTypeTable.BuiltIn.Find(name)?.Gpus, Is.EqualTo(gpus));
    }

    [Test]
    public void Find_MultiGpu_ScalesCpuAndMemory()
    {
        var one = MachineTypeTable.BuiltIn.Find("A100-80G")!;
        var eight = MachineTypeTable.BuiltIn.Find("A100-80Gx8")!;

        Assert.That(eight.Cpus, Is.EqualTo(one.Cpus * 8));
        Assert.That(eight.MemoryBytes, Is.EqualTo(one.MemoryBytes * 8));
        Assert.That(MachineTypeTable.BuiltIn.Find("C4"), Is.EqualTo(new MachineType("C4", 0, null, 2, 4 * GiB)));
    }

    [Test]
    public void Unknown_UnknownName_ListsTheKnownTypes()
    {
        var message = MachineTypeTable.BuiltIn.Unknown("Z9000");

        Assert.That(message, Does.StartWith("resources.machineType 'Z9000' is not a known machine type; known types: C3, C4"));
        Assert.That(message, Does.Contain("A100-80Gx8"));
        Assert.That(MachineTypeTable.BuiltIn.Unknown("c4"), Is.Null);
    }

    [TestCase("A10O", "A100")]
    [TestCase("P50000", "P5000")]
    public void Unknown_CloseToAKnownName_SaysWhichFirst(string name, string close)
    {
        var message = MachineTypeTable.BuiltIn.Unknown(name);

        Assert.That(message, Does.StartWith($"resources.machineType '{name}' is not a known machine type; did you mean '{close}'? known types: C3, C4"));
    }

    [TestCase("A100 80GB", "NVIDIA A100-SXM4-80GB", true)]
    [TestCase("A100 80GB", "NVIDIA A100 80GB PCIe", true)]
    [TestCase("A100 80GB", "NVIDIA A100-SXM4-40GB", false)]
    [TestCase("H100", "NVIDIA H100 80GB HBM3", true)]
    [TestCase("RTX 4000", "Quadro RTX 4000", true)]
    [TestCase("V100 32GB", "Tesla V100-SXM2-16GB", false)]
    public void Matches_ModelTokens_MatchNvidiaSmiNames(string model, string name, bool expected)
    {
        Assert.That(new MachineType("T", 1, model, 1, GiB).Matches(name), Is.EqualTo(expected));
    }

    [Test]
    public void Parse_NodeYamlOverrides_ReplaceFieldsAndAddTypes()
    {
        const string yaml = """
            nodeName: box
            gpuModelMustMatch: true
            machineTypes:
              A100-80G:
                cpus: 4
              my-dual:
                gpus: 2
                gpuModel: H100
                cpus: 16
                memoryGiB: 64
            """;

        var table = MachineTypeConfig.Parse(yaml, "node.yaml");

        Assert.That(table.GpuModelMustMatch, Is.True);
        Assert.That(table.Find("A100-80G"), Is.EqualTo(new MachineType("A100-80G", 1, "A100 80GB", 4, 90 * GiB)));
        Assert.That(table.Find("my-dual"), Is.EqualTo(new MachineType("my-dual", 2, "H100", 16, 64 * GiB)));
        Assert.That(table.Find("C4"), Is.Not.Null);
        Assert.That(MachineTypeTable.BuiltIn.Find("my-dual"), Is.Null);
    }

    [Test]
    public void Parse_UnknownField_FailsWithLineAndColumn()
    {
        var ex = Assert.Throws<FormatException>(() => MachineTypeConfig.Parse("machineTypes:\n  x:\n    gpu: 1\n", "/etc/gradient/node.yaml"));

        Assert.That(ex!.Message, Is.EqualTo("/etc/gradient/node.yaml:3:5: unknown field 'gpu' in machineTypes.x (known: gpus, gpuModel, cpus, memoryGiB)"));
    }

    [Test]
    public void Parse_NoMachineTypes_IsTheBuiltInTable()
    {
        var table = MachineTypeConfig.Parse("nodeName: x\n", "node.yaml");

        Assert.That(table.GpuModelMustMatch, Is.False);
        Assert.That(table.All.Count(), Is.EqualTo(MachineTypeTable.BuiltIn.All.Count()));
    }
}
