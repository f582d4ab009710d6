using GradientNode.Daemon.Cli.Wait;
using NUnit.Framework;

namespace GradientNode.Tests.Cli.Wait;

/// <summary>The live block on a terminal: a replica's message cannot send its own escapes or break the redraw.</summary>
[TestFixture]
[Category("Unit")]
internal sealed class LiveProgressViewTests
{
    [Test]
    public void Show_MessageWithEscapesAndALineBreak_ShownAsTextOnOneLineAndErasedByTheNextRedraw()
    {
        using var output = new StringWriter();
        var view = new LiveProgressView(output, 200);
        const string Probe = "probing: exited with 1: \u001b]0;pwned\u0007\u001b[2J\u009b2Jtwo\nlines";

        view.Show([new ProgressFact("replica 0", Probe, Probe)]);
        view.Show([new ProgressFact("state", "Ready: 1/1 replicas ready", "Ready")]);
        view.Finish("failed: \u001b]52;c;eA==\u0007\n  last log lines:\n    x");

        var written = output.ToString();
        Assert.Multiple(() =>
        {
            Assert.That(written, Does.Contain(@"probing: exited with 1: \x1b]0;pwned\x07\x1b[2J\u009b2Jtwo lines"));
            Assert.That(written, Does.Not.Contain("\u001b]").And.Not.Contain("\u0007").And.Not.Contain("\u001b[2J").And.Not.Contain("\u009b"));
            // Before, the message's line break drew two lines where the redraw erased one.
            Assert.That(TerminalScreen.Render(written), Is.EqualTo(new[]
            {
                "state        Ready: 1/1 replicas ready",
                @"failed: \x1b]52;c;eA==\x07",
                "  last log lines:",
                "    x",
            }));
        });
    }
}
