using GradientNode.Daemon.Cli.Wait;
using NUnit.Framework;

namespace GradientNode.Tests.Cli.Wait;

[TestFixture]
[Category("Unit")]
internal sealed class LogLineReaderTests
{
    [Test]
    public async Task ReadLineAsync_ProgressBarWithCarriageReturns_OneLineWithItsCarriageReturnsKept()
    {
        // Before (TextReader.ReadLine): "[0] 10%", "20%", "30%": three lines, the last two without their tag.
        var reader = new LogLineReader(new StringReader("[0] 10%\r20%\r30%\n[0] done\r\n[1] last"));

        var lines = new List<string>();
        while (await reader.ReadLineAsync(CancellationToken.None) is { } line)
        {
            lines.Add(line);
        }

        Assert.That(lines, Is.EqualTo(new[] { "[0] 10%\r20%\r30%", "[0] done\r", "[1] last" }));
    }

    [Test]
    public async Task ReadLineAsync_LongerThanTheBuffer_WholeLine()
    {
        var long1 = new string('x', 20_000);
        var reader = new LogLineReader(new StringReader($"{long1}\nb\n"));

        var lines = new[] { await reader.ReadLineAsync(CancellationToken.None), await reader.ReadLineAsync(CancellationToken.None), await reader.ReadLineAsync(CancellationToken.None) };

        Assert.That(lines, Is.EqualTo(new[] { long1, "b", null }));
    }

    [Test]
    public async Task ReadLineAsync_LineAlreadyBuffered_CompletesSynchronously()
    {
        var reader = new LogLineReader(new StringReader("a\nb\n"));
        await reader.ReadLineAsync(CancellationToken.None);

        var next = reader.ReadLineAsync(CancellationToken.None);

        Assert.That(next.IsCompleted, Is.True, "the caller flushes only when no line is waiting");
        Assert.That(await next, Is.EqualTo("b"));
    }
}
