using GradientNode.Daemon.Api;
using GradientNode.Daemon.Cli.Wait;
using NUnit.Framework;

namespace GradientNode.Tests.Cli.Wait;

[TestFixture]
[Category("Unit")]
internal sealed class LogTagNamesTests
{
    [Test]
    public void Show_FullTags_FirstContainerOfAnIndexShortOthersKeepTheirSuffixForTheWholeCommand()
    {
        var names = new LogTagNames();

        var shown = new[] { "[0 bbbbbb] new", "[0 aaaaaa] old", "[1 cccccc] x", "[0 bbbbbb] again" }.Select(names.Show).ToList();

        Assert.That(shown, Is.EqualTo(new[] { "[0] new", "[0 aaaaaa] old", "[1] x", "[0] again" }));
    }

    [Test]
    public void Show_TimestampedLine_KeepsTheTimestampAndShortensTheTag()
    {
        var stamp = LogTimestamp.Of(new DateTimeOffset(2026, 12, 6, 2, 0, 0, TimeSpan.Zero));

        Assert.That(new LogTagNames().Show($"{stamp} [2 d4e5f6] hello"), Is.EqualTo($"{stamp} [2] hello"));
    }

    [TestCase("plain text")]
    [TestCase("[0] a daemon from before fullTags")]
    [TestCase("[x y] not a tag")]
    public void Show_NoFullTag_AsSent(string line) => Assert.That(new LogTagNames().Show(line), Is.EqualTo(line));
}
