using GradientNode.Daemon.Cli;
using NUnit.Framework;

namespace GradientNode.Tests.Cli;

[TestFixture]
[Category("Unit")]
internal sealed class RunsDeletedPrinterTests
{
    [TestCase("""{"workflow": "w", "deleted": [4], "notEnded": []}""", "workflow 'w': deleted 1 ended run: 4")]
    [TestCase("""{"workflow": "w", "deleted": [1, 2, 5], "notEnded": []}""", "workflow 'w': deleted 3 ended runs: 1, 2, 5")]
    public void Print_EveryRunDeleted_ListsThemAndExitsZero(string body, string line)
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = RunsDeletedPrinter.Print(body, output, error);

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(ExitCodes.Ok));
            Assert.That(output.ToString(), Is.EqualTo(line + Environment.NewLine));
            Assert.That(error.ToString(), Is.Empty);
        });
    }

    [Test]
    public void Print_NothingEndedOneRunning_SaysSoNamesTheRunAndExitsOne()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = RunsDeletedPrinter.Print("""{"workflow": "w", "deleted": [], "notEnded": [{"run": 7, "phase": "PENDING", "message": "workflow 'w' run 7 has not ended (PENDING); cancel it first"}]}""", output, error);

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(ExitCodes.Failed));
            Assert.That(output.ToString(), Is.EqualTo("workflow 'w': no ended run to delete" + Environment.NewLine));
            Assert.That(error.ToString(), Is.EqualTo("error: workflow 'w' run 7 has not ended (PENDING); cancel it first" + Environment.NewLine));
        });
    }
}
