using GradientNode.Daemon.Cli.Wait;
using NUnit.Framework;

namespace GradientNode.Tests.Cli.Wait;

/// <summary>The live block and colours only on a terminal with <c>NO_COLOR</c> unset (and a TERM that can move the cursor).</summary>
[TestFixture]
[Category("Unit")]
internal sealed class ProgressViewsTests
{
    [TestCase(false, null, "xterm", true, TestName = "{m}(terminal)")]
    [TestCase(true, null, "xterm", false, TestName = "{m}(pipe)")]
    [TestCase(false, "1", "xterm", false, TestName = "{m}(terminal with NO_COLOR)")]
    [TestCase(false, "", "xterm", true, TestName = "{m}(terminal with NO_COLOR empty)")]
    [TestCase(false, null, "dumb", false, TestName = "{m}(dumb terminal)")]
    public void IsLive_OutputAndEnvironment_LiveOnlyOnATerminalWithoutNoColor(bool redirected, string? noColor, string term, bool live)
    {
        var environment = new Dictionary<string, string?> { ["NO_COLOR"] = noColor, ["TERM"] = term };

        Assert.That(ProgressViews.IsLive(redirected, name => environment.GetValueOrDefault(name)), Is.EqualTo(live));
    }
}
