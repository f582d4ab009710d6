using GradientNode.Daemon.Cli;
using NUnit.Framework;

namespace GradientNode.Tests.Cli;

[TestFixture]
[Category("Unit")]
internal sealed class DatasetProgressTests
{
    [Test]
    public void Line_HalfDone_HalfTheBarAndSizes() =>
        Assert.That(DatasetProgress.Line("upload", 1 << 20, 2 << 20), Is.EqualTo("upload  [###############               ]  50%  1.0 MiB / 2.0 MiB"));

    [Test]
    public void Track_BytesThroughTheStream_DrawnAndFinishedOnOneLine()
    {
        using var text = new StringWriter();
        var progress = new DatasetProgress(text, new FakeTimeProvider());
        using var source = new MemoryStream(new byte[4096]);
        using (var tracked = progress.Track(source, "download", 4096))
        {
            tracked.CopyTo(Stream.Null);
        }

        progress.Finish("download", 4096);

        Assert.That(text.ToString(), Does.StartWith("\rdownload  [").And.EndWith("100%  0.0 MiB / 0.0 MiB" + Environment.NewLine));
    }

    [Test]
    public void Track_ReadsWithinATenthOfASecond_DrawnOnceUntilTheClockMoves()
    {
        using var text = new StringWriter();
        var time = new FakeTimeProvider();
        var progress = new DatasetProgress(text, time);
        using var source = new MemoryStream(new byte[4096]);
        using var tracked = progress.Track(source, "upload", 4096);
        var chunk = new byte[1024];

        tracked.ReadExactly(chunk);
        tracked.ReadExactly(chunk);
        var drawsBefore = text.ToString().Count(c => c == '\r');
        time.Advance(TimeSpan.FromMilliseconds(100));
        tracked.ReadExactly(chunk);

        Assert.That((drawsBefore, text.ToString().Count(c => c == '\r')), Is.EqualTo((1, 2)));
    }
}
