using GradientNode.Daemon.Cli;
using GradientNode.Daemon.Configuration;
using NUnit.Framework;

namespace GradientNode.Tests.Configuration;

/// <summary><c>--workflow-job-memory</c>: the memory limit of workflow jobs without an instance type.</summary>
internal sealed partial class NodeOptionsLoaderTests
{
    private const long SixteenGiB = 16L << 30;

    [Test]
    public void Load_NoJobMemorySet_HalfTheHostsMemory()
    {
        var options = LoadOnHost(["--config", _emptyConfig], SixteenGiB);

        Assert.That(options.WorkflowJobMemory, Is.EqualTo(8L << 30));
    }

    [Test]
    public void Load_NoJobMemorySetAndHostMemoryUnknown_NoLimit()
    {
        Assert.That(LoadOnHost(["--config", _emptyConfig], null).WorkflowJobMemory, Is.Zero);
    }

    [TestCase("512M", 512L << 20)]
    [TestCase("8G", 8L << 30)]
    [TestCase("25%", 4L << 30)]
    [TestCase("100%", SixteenGiB)]
    [TestCase("0", 0L)]
    [TestCase("none", 0L)]
    public void Load_JobMemoryFlag_SizeShareOrNone(string value, long expected)
    {
        Assert.That(LoadOnHost(["--config", _emptyConfig, "--workflow-job-memory", value], SixteenGiB).WorkflowJobMemory, Is.EqualTo(expected));
    }

    [Test]
    public void Load_JobMemoryFromFileAndVariable_VariableWins()
    {
        var config = WriteConfig("workflowJobMemory: 2G\n");

        Assert.Multiple(() =>
        {
            Assert.That(LoadOnHost(["--config", config], SixteenGiB).WorkflowJobMemory, Is.EqualTo(2L << 30));
            Assert.That(LoadOnHost(["--config", config], SixteenGiB, new() { ["GRADIENT_WORKFLOW_JOB_MEMORY"] = "none" }).WorkflowJobMemory, Is.Zero);
        });
    }

    [TestCase("lots", "--workflow-job-memory wants a size such as 512M or 8G, a share of the host's memory such as 50%, or none, got 'lots'")]
    [TestCase("0%", "--workflow-job-memory wants a share of the host's memory from 1% to 100%, got '0%'")]
    [TestCase("150%", "--workflow-job-memory wants a share of the host's memory from 1% to 100%, got '150%'")]
    [TestCase("1M", "--workflow-job-memory is at least 6M (Docker's least memory limit), got '1M'")]
    public void Load_BadJobMemoryFlag_UsageErrorNamingTheOption(string value, string message)
    {
        var ex = Assert.Throws<UsageException>(() => LoadOnHost(["--config", _emptyConfig, "--workflow-job-memory", value], SixteenGiB));

        Assert.That(ex!.Message, Is.EqualTo(message));
    }

    [Test]
    public void Load_BadJobMemoryInTheFile_NamesTheFileLineAndKey()
    {
        var config = WriteConfig("nodeName: a\nworkflowJobMemory: half\n");

        var ex = Assert.Throws<UsageException>(() => LoadOnHost(["--config", config], SixteenGiB));

        Assert.That(ex!.Message, Is.EqualTo($"{config}:2:1: workflowJobMemory wants a size such as 512M or 8G, a share of the host's memory such as 50%, or none, got 'half'"));
    }

    [Test]
    public void Load_JobMemoryShareWithoutHostMemory_UsageErrorAskingForASize()
    {
        var ex = Assert.Throws<UsageException>(() => LoadOnHost(["--config", _emptyConfig, "--workflow-job-memory", "50%"], null));

        Assert.That(ex!.Message, Does.Contain("/proc/meminfo gives no MemTotal: give a size such as 8G"));
    }

    private static NodeOptions LoadOnHost(string[] args, long? hostMemory, Dictionary<string, string>? env = null)
    {
        var variables = env ?? [];
        return NodeOptionsLoader.Load(ParsedArgs.Parse(args), name => variables.GetValueOrDefault(name), () => hostMemory);
    }
}
