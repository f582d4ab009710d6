using GradientNode.Daemon.Cli;
using NUnit.Framework;

namespace GradientNode.Tests.Cli;

[TestFixture]
[Category("Unit")]
internal sealed class HelpTests
{
    [TestCase("--help")]
    [TestCase("up", "--help")]
    [TestCase("proxy", "--listen", "http://127.0.0.1:9", "-h")]
    [TestCase("--socket", "/tmp/s", "ls", "--help")]
    public void IsRequested_HelpFlagAfterAnyVerb_True(params string[] args) => Assert.That(Help.IsRequested(args), Is.True);

    [TestCase("up", "--listen", "http://127.0.0.1:9")]
    [TestCase("logs", "web", "-f")]
    [TestCase("apply", "-f", "x.yaml", "--", "--help")]
    public void IsRequested_NoHelpFlagBeforeDoubleDash_False(params string[] args) => Assert.That(Help.IsRequested(args), Is.False);

    [Test]
    public void Text_LsLine_NamesEveryOutputFormLsTakes() =>
        Assert.That(Help.Text, Does.Contain("ls [-o json|yaml|wide|text]"), "as cli.md and ls itself (`-o takes json, yaml, wide or text`)");

    [Test]
    public void Text_GetLine_NamesEveryOutputFormGetTakes() =>
        Assert.That(Help.Text, Does.Contain("get NAME [-o json|yaml|wide|text]"), "as cli.md and get itself (newuser10: the help said json|yaml only)");

    [Test]
    public void Text_ExportLine_NamesEveryOptionExportTakes()
    {
        // cli.md's export heading names the helper-image, PVC and ingress flags; --help named only the first six.
        string[] exportOptions = ["--namespace", "--domain", "--template", "--pvc", "--node-selector", "--pvc-size", "--storage-class", "--git-image", "--s3-image", "--ingress-namespace", "--service-account"];

        Assert.That(exportOptions.Where(o => !Help.Text.Contains($"[{o}", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public void Text_NodeLine_NamesEveryOutputFormNodeTakes() =>
        Assert.That(Help.Text, Does.Contain("node [-o json|yaml|text]"), "node takes -o text too (cli.md, and node's own usage error)");

    [Test]
    public void For_ClientVerb_ItsOwnLineTheExitCodesAndWhereTheWholeHelpIs()
    {
        // Before: `gradient-node ls --help` printed the whole text, 100 lines, as kamal and fly do not (newuser11).
        var help = Help.For("ls");

        Assert.Multiple(() =>
        {
            Assert.That(help, Does.StartWith("  ls [-o json|yaml|wide|text]"));
            Assert.That(help, Does.Not.Contain("get NAME").And.Not.Contain("--specs-dir"));
            Assert.That(help, Does.Contain("Exit codes: 0 ok").And.EndWith(Help.WholeHelpPointer + "\n"));
        });
    }

    [Test]
    public void For_VerbWithSubCommands_EveryLineOfItWithItsContinuations()
    {
        var help = Help.For("datasets");

        Assert.Multiple(() =>
        {
            Assert.That(help, Does.Contain("datasets create NAME").And.Contain("datasets gc [--dry-run]"));
            Assert.That(help, Does.Contain("files go as a tar over the socket"), "a continuation line of datasets upload");
            Assert.That(help, Does.Not.Contain("models add").And.Not.Contain("workflows run"));
        });
    }

    [TestCase("up")]
    [TestCase("proxy")]
    public void For_Role_TheRolesAndTheirOptionsWithoutTheClientVerbs(string role)
    {
        var help = Help.For(role);

        Assert.Multiple(() =>
        {
            Assert.That(help, Does.Contain("--specs-dir DIR").And.Contain("--workflow-runs-kept N"));
            Assert.That(help, Does.Not.Contain("Client verbs").And.Not.Contain("datasets create"));
        });
    }

    [TestCase(null)]
    [TestCase("frobnicate")]
    [TestCase("--socket")]
    public void For_NoVerbOrAWordTheHelpDoesNotName_TheWholeText(string? verb) => Assert.That(Help.For(verb), Is.EqualTo(Help.Text));
}
