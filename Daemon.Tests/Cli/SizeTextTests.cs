using GradientNode.Daemon.Cli;
using NUnit.Framework;

namespace GradientNode.Tests.Cli;

[TestFixture]
[Category("Unit")]
internal sealed class SizeTextTests
{
    [TestCase(0L, "0 bytes")]
    [TestCase(1L, "1 byte")]
    [TestCase(1023L, "1023 bytes")]
    [TestCase(1024L, "1 KiB")]
    [TestCase(1536L, "1.5 KiB")]
    [TestCase(9576837L, "9.1 MiB")]
    [TestCase(104857599L, "100 MiB")]
    [TestCase(1073741823L, "1 GiB")]
    [TestCase(13476839424L, "12.6 GiB")]
    [TestCase(137438953472L, "128 GiB")]
    [TestCase(-2048L, "-2 KiB")]
    [TestCase(long.MaxValue, "8 EiB")]
    public void Of_Bytes_PrintsPowersOf1024WithOneDecimalBelow100(long bytes, string expected)
    {
        Assert.That(SizeText.Of(bytes), Is.EqualTo(expected));
    }

    [TestCase(8L, 1L, "8 bytes, 1 file")]
    [TestCase(13476839424L, 4L, "12.6 GiB, 4 files")]
    [TestCase(0L, 0L, "0 bytes, 0 files")]
    public void WithFiles_BytesAndFiles_SaysFileInTheSingular(long bytes, long files, string expected)
    {
        Assert.That(SizeText.WithFiles(bytes, files), Is.EqualTo(expected));
    }
}
