using System.Runtime.CompilerServices;
using System.Text;
using GradientNode.Core.Engine;
using GradientNode.Core.Secrets;
using GradientNode.Core.Workflows.Execution;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Execution;

/// <summary>A job's kept log: its first bytes, a marker saying how much was dropped, its last bytes, from a fake log stream.</summary>
[TestFixture]
[Category("Unit")]
internal sealed class JobLogKeeperTests
{
    [Test]
    public async Task KeepAsync_LogWithinTheLimits_KeepsEveryLineAndDropsNothing()
    {
        var (text, dropped) = await KeepAsync(new JobLogKeeper(10, 20), Lines(5));

        Assert.Multiple(() =>
        {
            Assert.That(text, Is.EqualTo("l00\nl01\nl02\nl03\nl04\n"));
            Assert.That(dropped, Is.Zero);
        });
    }

    [Test]
    public async Task KeepAsync_LogLongerThanHeadAndTail_KeepsTheFirstAndLastLinesWithAMarkerBetween()
    {
        var (text, dropped) = await KeepAsync(new JobLogKeeper(10, 20), Lines(100));

        Assert.Multiple(() =>
        {
            Assert.That(text, Is.EqualTo(
                "l00\nl01\n" +
                "[log cut: 372 bytes dropped here; the node keeps the first 10 bytes and the last 20 bytes of a job's log]\n" +
                "l95\nl96\nl97\nl98\nl99\n"));
            Assert.That(dropped, Is.EqualTo(400 - 8 - 20));
        });
    }

    [Test]
    public async Task KeepAsync_TailLimitEndsMidLine_TailStartsAtTheNextWholeLine()
    {
        var (text, dropped) = await KeepAsync(new JobLogKeeper(10, 18), Lines(100));

        Assert.Multiple(() =>
        {
            Assert.That(text, Does.EndWith("bytes of a job's log]\nl96\nl97\nl98\nl99\n"));
            Assert.That(dropped, Is.EqualTo(400 - 8 - 16));
        });
    }

    [Test]
    public async Task KeepAsync_OneLineLongerThanTheTail_KeepsItsEndFromACharacterStart()
    {
        var (text, dropped) = await KeepAsync(new JobLogKeeper(10, 8), Of("a", new string('é', 100)));

        Assert.Multiple(() =>
        {
            Assert.That(text, Is.EqualTo("a\n[log cut: 194 bytes dropped here; the node keeps the first 10 bytes and the last 8 bytes of a job's log]\nééé\n"));
            Assert.That(dropped, Is.EqualTo(201 - 7));
        });
    }

    [Test]
    public async Task KeepAsync_FirstLineLongerThanTheHead_LogStartsWithItsBeginningNotTheMarker()
    {
        var (text, dropped) = await KeepAsync(new JobLogKeeper(10, 8), Of("é" + new string('a', 100), "last"));

        Assert.Multiple(() =>
        {
            // The head: 'é' (2 bytes) and 8 a's; the rest of the line is dropped up to the tail's whole last line.
            Assert.That(text, Is.EqualTo("éaaaaaaaa\n[log cut: 93 bytes dropped here; the node keeps the first 10 bytes and the last 8 bytes of a job's log]\nlast\n"));
            Assert.That(dropped, Is.EqualTo(103 + 5 - 10 - 5));
        });
    }

    [Test]
    public async Task KeepAsync_FirstLineLongerThanTheHeadButAllFits_KeptWhole()
    {
        var line = new string('a', 15);
        var (text, dropped) = await KeepAsync(new JobLogKeeper(10, 20), Of(line, "b"));

        Assert.Multiple(() =>
        {
            Assert.That(text, Is.EqualTo(line + "\nb\n"), "nothing dropped: the line is not split");
            Assert.That(dropped, Is.Zero);
        });
    }

    [Test]
    public async Task KeepAsync_FirstLineCutInsideACharacter_HeadEndsAtTheCharactersStart()
    {
        var (text, _) = await KeepAsync(new JobLogKeeper(3, 4), Of("aéééééééééé", "z"));

        Assert.That(text, Does.StartWith("aé\n[log cut: "), "the head ends before the 'é' whose bytes it could not hold whole");
    }

    [Test]
    public async Task KeepAsync_NodeLimitsAndA20MiBLog_KeepsTheFirstMiBAndTheLast7MiBWithTheLastLine()
    {
        const int lineCount = 200_000; // "line 000000 " + 88 x's + "\n": 101 bytes, about 19 MiB in all
        var (text, dropped) = await KeepAsync(JobLogKeeper.Default, Long(lineCount));
        var lines = text.Split('\n');

        Assert.Multiple(() =>
        {
            Assert.That(lines[0], Does.StartWith("line 000000 "));
            Assert.That(lines[^2], Does.StartWith($"line {lineCount - 1:D6} "), "the last line is kept");
            Assert.That(lines.Count(l => l.StartsWith("[log cut: ", StringComparison.Ordinal)), Is.EqualTo(1));
            Assert.That(Encoding.UTF8.GetByteCount(text), Is.LessThanOrEqualTo((8 * 1024 * 1024) + 200));
            Assert.That(dropped, Is.EqualTo((101L * lineCount) - Encoding.UTF8.GetByteCount(text) + lines.Single(l => l.StartsWith("[log cut: ", StringComparison.Ordinal)).Length + 1));
        });
    }

    [Test]
    public async Task KeepAsync_WithAMask_WritesTheSecretHiddenInHeadAndTail()
    {
        using var file = new MemoryStream();

        await new JobLogKeeper(20, 40).KeepAsync(Of("head p4ss-word", "x", "y", "tail p4ss-word end"), file, new LogMask(["p4ss-word"]), CancellationToken.None);

        Assert.That(Encoding.UTF8.GetString(file.ToArray()), Is.EqualTo("head ***\nx\ny\ntail *** end\n"));
    }

    [Test]
    public async Task KeepAsync_EngineStreamBreaks_WritesWhatWasReadThenThrows()
    {
        using var file = new MemoryStream();

        Assert.That(async () => await new JobLogKeeper(4, 8).KeepAsync(Breaking(), file, LogMask.None, CancellationToken.None), Throws.TypeOf<EngineException>());
        Assert.That(Encoding.UTF8.GetString(file.ToArray()), Is.EqualTo("l0\n[log cut: 3 bytes dropped here; the node keeps the first 4 bytes and the last 8 bytes of a job's log]\nl2\nl3\n"));
    }

    [Test]
    public void Write_ManyMoreBytesThanTheCapacity_HoldsNoMoreThanTheCapacityAndKeepsTheLastBytes()
    {
        var tail = new JobLogTail(16);
        for (var i = 0; i < 1000; i++)
        {
            tail.Write(Encoding.ASCII.GetBytes($"{i % 10}"));
        }

        tail.Write(Encoding.ASCII.GetBytes(new string('z', 40) + "0123456789abcdef"));

        Assert.Multiple(() =>
        {
            Assert.That(tail.Allocated, Is.LessThanOrEqualTo(16));
            Assert.That(tail.Written, Is.EqualTo(1056));
            Assert.That(Encoding.ASCII.GetString(tail.Kept()), Is.EqualTo("0123456789abcdef"));
        });
    }

    [Test]
    public void Write_WrapsAround_KeptIsOldestFirst()
    {
        var tail = new JobLogTail(5);

        tail.Write("abc"u8);
        tail.Write("def"u8);
        tail.Write("g"u8);

        Assert.That(Encoding.ASCII.GetString(tail.Kept()), Is.EqualTo("cdefg"));
    }

    private static async Task<(string Text, long Dropped)> KeepAsync(JobLogKeeper keeper, IAsyncEnumerable<LogLine> lines)
    {
        using var file = new MemoryStream();
        var dropped = await keeper.KeepAsync(lines, file, LogMask.None, CancellationToken.None);
        return (Encoding.UTF8.GetString(file.ToArray()), dropped);
    }

    private static IAsyncEnumerable<LogLine> Lines(int count) => Of([.. Enumerable.Range(0, count).Select(i => $"l{i:D2}")]);

    private static async IAsyncEnumerable<LogLine> Of(params string[] texts)
    {
        foreach (var text in texts)
        {
            await Task.Yield();
            yield return new LogLine(LogStream.Stdout, text, null);
        }
    }

    private static async IAsyncEnumerable<LogLine> Long(int count, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var filler = new string('x', 88);
        for (var i = 0; i < count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (i % 10_000 == 0)
            {
                await Task.Yield();
            }

            yield return new LogLine(LogStream.Stdout, $"line {i:D6} {filler}", null);
        }
    }

    private static async IAsyncEnumerable<LogLine> Breaking()
    {
        foreach (var line in new[] { "l0", "l1", "l2", "l3" })
        {
            await Task.Yield();
            yield return new LogLine(LogStream.Stdout, line, null);
        }

        throw new EngineException("the engine went away");
    }
}
