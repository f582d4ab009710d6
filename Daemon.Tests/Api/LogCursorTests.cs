using GradientNode.Daemon.Api;
using NUnit.Framework;

namespace GradientNode.Tests.Api;

[TestFixture]
[Category("Unit")]
internal sealed class LogCursorTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    [Test]
    public void Since_NothingShown_ReadsFromTheFirstLine()
    {
        var cursor = new LogCursor();

        Assert.Multiple(() =>
        {
            Assert.That(cursor.Since, Is.Null);
            Assert.That(cursor.AlreadyShown, Is.Zero);
        });
    }

    [Test]
    public void AlreadyShown_LinesInTheLastTwoSeconds_CountedSoTheNextReadSkipsThem()
    {
        var cursor = new LogCursor();
        cursor.Add(T0.AddMilliseconds(100));
        cursor.Add(T0.AddSeconds(1).AddMilliseconds(5));
        cursor.Add(T0.AddSeconds(2).AddMilliseconds(1));
        cursor.Add(T0.AddSeconds(2).AddMilliseconds(1)); // the same stamp twice: both count
        cursor.Prune();

        Assert.Multiple(() =>
        {
            Assert.That(cursor.Since, Is.EqualTo(T0.AddSeconds(1)));
            Assert.That(cursor.AlreadyShown, Is.EqualTo(3), "the engine answers every line from T0+1s: three of them were shown");
            Assert.That(cursor.Shown, Is.EqualTo(4));
        });
    }

    [Test]
    public void Add_LineStampedBeforeTheLatest_CountedInItsSecond()
    {
        // The engine's stderr copier may write a line stamped a little before the stdout line it follows in the log.
        var cursor = new LogCursor();
        cursor.Add(T0.AddSeconds(5).AddMilliseconds(2));
        cursor.Add(T0.AddSeconds(4).AddMilliseconds(999));

        Assert.Multiple(() =>
        {
            Assert.That(cursor.Since, Is.EqualTo(T0.AddSeconds(4)));
            Assert.That(cursor.AlreadyShown, Is.EqualTo(2));
        });
    }

    [Test]
    public void Prune_OldSeconds_Forgotten()
    {
        var cursor = new LogCursor();
        for (var second = 0; second < 1000; second++)
        {
            cursor.Add(T0.AddSeconds(second));
            cursor.Prune();
        }

        Assert.Multiple(() =>
        {
            Assert.That(cursor.AlreadyShown, Is.EqualTo(2), "seconds 998 and 999");
            Assert.That(cursor.Shown, Is.EqualTo(1000));
        });
    }
}
