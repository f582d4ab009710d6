using System.Text;
using GradientNode.Core.Gpus;
using GradientNode.Core.Specs.Parsing;
using NUnit.Framework;

namespace GradientNode.Tests.Gpus;

/// <summary><see cref="MachineTypeConfig.Load"/> on real files: read as node.yaml is, bounded and strict UTF-8.</summary>
[TestFixture]
[Category("Unit")]
internal sealed class MachineTypeConfigTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("gn-machine-types-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Load_NoFile_IsTheBuiltInTable()
    {
        var table = MachineTypeConfig.Load(Path.Combine(_dir, "node.yaml"));

        Assert.That(table.All.Count(), Is.EqualTo(MachineTypeTable.BuiltIn.All.Count()));
    }

    [Test]
    public void Load_AFileWithAType_AddsIt()
    {
        var path = Write("machineTypes:\n  my-box:\n    gpus: 0\n    cpus: 2\n"u8.ToArray());

        var table = MachineTypeConfig.Load(path);

        Assert.That(table.Find("my-box")?.Cpus, Is.EqualTo(2));
    }

    [Test]
    public void Load_BytesThatAreNotUtf8_FailsAtTheirLineAndColumn()
    {
        var path = Write([.. "machineTypes:\n  b"u8, 0xFF, .. "x:\n    cpus: 2\n"u8]);

        var ex = Assert.Throws<FormatException>(() => MachineTypeConfig.Load(path));

        Assert.That(ex!.Message, Does.StartWith($"{path}:2:4: "));
    }

    [Test]
    public void Load_AFileOverTheSizeLimit_FailsNamingTheFile()
    {
        var path = Path.Combine(_dir, "node.yaml");
        using (var file = File.Create(path))
        {
            file.Write(Encoding.UTF8.GetBytes("# " + new string('x', YamlGuard.MaxChars) + "\n"));
            file.SetLength(64L * 1024 * 1024); // a sparse 64 MiB tail
        }

        var ex = Assert.Throws<FormatException>(() => MachineTypeConfig.Load(path));

        Assert.That(ex!.Message, Is.EqualTo($"{path}:1:1: the text is longer than {YamlGuard.MaxChars} characters, the most allowed"));
    }

    [Test]
    public void Load_ADirectoryWhereTheFileShouldBe_FailsNamingIt()
    {
        // node.yaml is read first and refuses a folder the same way (NodeOptionsLoaderTests.Load_ConfigIsAFolder_*).
        var path = Path.Combine(_dir, "node.yaml");
        Directory.CreateDirectory(path);

        var ex = Assert.Throws<FormatException>(() => MachineTypeConfig.Load(path));

        Assert.That(ex!.Message, Does.StartWith($"config file {path} is a folder, not a regular file"));
    }

    [Test]
    public void Load_DevNull_IsTheBuiltInTable()
    {
        var table = MachineTypeConfig.Load("/dev/null");

        Assert.That(table.All.Count(), Is.EqualTo(MachineTypeTable.BuiltIn.All.Count()));
    }

    private string Write(byte[] bytes)
    {
        var path = Path.Combine(_dir, "node.yaml");
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
