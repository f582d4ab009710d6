using GradientNode.Daemon.Cli;
using NUnit.Framework;

namespace GradientNode.Tests.Cli;

[TestFixture]
[Category("Unit")]
internal sealed class ApiErrorPrinterTests
{
    [Test]
    public void Print_ErrorsNameTheSentBaseName_LinesNameTheFilesAsTyped()
    {
        // `workflows run -f wf/cycle.yaml --inputs in/i.yaml` sends base names; the daemon's lines named them bare.
        const string Body = """{"error": "cycle.yaml: not a valid workflow", "errors": ["cycle.yaml:3:13: jobs.a.needs[0]: cycle: a -> c -> a", "i.yaml:2:3: inputs.x: unknown input", "other.yaml:1:1: kept"]}""";
        var error = new StringWriter();

        var exit = ApiErrorPrinter.Print(error, Body, [("cycle.yaml", "wf/cycle.yaml"), ("i.yaml", "in/i.yaml")]);

        Assert.That(exit, Is.EqualTo(ExitCodes.Failed));
        Assert.That(error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[]
        {
            "error: wf/cycle.yaml: not a valid workflow",
            "wf/cycle.yaml:3:13: jobs.a.needs[0]: cycle: a -> c -> a",
            "in/i.yaml:2:3: inputs.x: unknown input",
            "other.yaml:1:1: kept",
        }));
    }

    [Test]
    public void Print_NoFiles_PrintsTheErrorAndEachProblemAsSent()
    {
        var error = new StringWriter();

        ApiErrorPrinter.Print(error, """{"error": "x.yaml: bad", "errors": ["x.yaml:1:1: y"]}""");

        Assert.That(error.ToString(), Is.EqualTo($"error: x.yaml: bad{Environment.NewLine}x.yaml:1:1: y{Environment.NewLine}"));
    }
}
