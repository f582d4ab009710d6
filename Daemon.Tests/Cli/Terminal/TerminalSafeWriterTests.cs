using GradientNode.Daemon.Cli.Terminal;
using NUnit.Framework;

namespace GradientNode.Tests.Cli.Terminal;

[TestFixture]
[Category("Unit")]
internal sealed class TerminalSafeWriterTests
{
    [Test]
    public async Task Fields_EveryWriteKind_ControlsShownAsText()
    {
        var inner = new StringWriter { NewLine = "\n" };
        var writer = TerminalSafeWriter.Fields(inner);

        writer.Write('\u0007');
        writer.Write("a\u001b[31m");
        writer.WriteLine("b\rc");
        await writer.WriteLineAsync("d\0");
        await writer.WriteAsync("e\u009b".AsMemory());
        writer.Write(['\b'], 0, 1);
        await writer.FlushAsync();

        Assert.That(inner.ToString(), Is.EqualTo("\\x07a\\x1b[31mb\\x0dc\nd\\x00\ne\\u009b\\x08"));
    }

    [Test]
    public void Logs_SgrAcrossWritesAndFlush_KeptWholeThenUnfinishedShownAtFlush()
    {
        var inner = new StringWriter { NewLine = "\n" };
        var writer = TerminalSafeWriter.Logs(inner);

        writer.Write("\u001b[");
        writer.Write("33m");
        writer.WriteLine("yellow\u001b[0m 10%\r20%");
        writer.Write("\u001b[1");
        writer.Flush();

        Assert.That(inner.ToString(), Is.EqualTo("\u001b[33myellow\u001b[0m 10%\r20%\n\\x1b[1"));
    }
}
