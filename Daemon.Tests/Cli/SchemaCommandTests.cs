using GradientNode.Daemon.Cli;
using NUnit.Framework;

namespace GradientNode.Tests.Cli;

[TestFixture]
[Category("Unit")]
internal sealed class SchemaCommandTests
{
    [TestCase("-o", "json")]
    [TestCase("--bogus", "x", "workflow")]
    public void Run_AnOption_UsageErrorAndNothingPrinted(params string[] args)
    {
        using var output = new StringWriter();

        var error = Assert.Throws<UsageException>(() => SchemaCommand.Run(ParsedArgs.Parse(args), output));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.StartWith($"unknown option {args[0]} for schema"));
            Assert.That(output.ToString(), Is.Empty);
        });
    }

    [Test]
    public void Run_WorkflowAfterTheClientSocketOption_PrintsTheWorkflowSchema()
    {
        // `gradient-node --socket S schema workflow`, as GradientNodeProcess.CliAsync runs every verb: --socket is unused, not refused.
        using var output = new StringWriter();

        var code = SchemaCommand.Run(ParsedArgs.Parse(["--socket", "/tmp/gn.sock", "workflow"]), output);

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Ok));
            Assert.That(output.ToString(), Does.Contain("workflow.schema.json"));
        });
    }
}
