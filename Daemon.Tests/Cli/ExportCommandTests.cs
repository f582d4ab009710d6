using GradientNode.Daemon.Cli;
using NUnit.Framework;

namespace GradientNode.Tests.Cli;

[TestFixture]
[Category("Unit")]
internal sealed class ExportCommandTests
{
    [Test]
    public void NodeSelector_KeyGivenTwice_UsageErrorNamingTheKey()
    {
        var error = Assert.Throws<UsageException>(() => ExportCommand.NodeSelector(["zone=a", "zone=b"]));

        Assert.That(error!.Message, Is.EqualTo("--node-selector: key 'zone' given twice"));
    }

    [Test]
    public void NodeSelector_DistinctKeys_EachPair()
    {
        var selector = ExportCommand.NodeSelector(["zone=a", "nvidia.com/gpu.product=A100=x"]);

        Assert.That(selector, Is.EqualTo(new Dictionary<string, string> { ["zone"] = "a", ["nvidia.com/gpu.product"] = "A100=x" }));
    }

    [Test]
    public void Run_NodeSelectorKeyTwice_UsageErrorBeforeAnyFileIsRead()
    {
        var args = ParsedArgs.Parse(["-f", "/nonexistent/spec.yaml", "--node-selector", "a=b", "--node-selector", "a=c"], ExportCommand.Flags);

        Assert.Throws<UsageException>(() => ExportCommand.Run(args, TextWriter.Null, TextWriter.Null));
    }
}
