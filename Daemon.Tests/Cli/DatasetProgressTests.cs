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
        var progress = new DatasetProgress(text);
        using var source = new MemoryStream(new byte[4096]);
        using (var tracked = progress.Track(source, "download", 4096))
        {
            tracked.CopyTo(Stream.Null);
        }

        progress.Finish("download", 4096);

        Assert.That(text.ToString(), Does.StartWith("\rdownload  [").And.EndWith("100%  0.0 MiB / 0.0 MiB" + Environment.NewLine));
    }
}
