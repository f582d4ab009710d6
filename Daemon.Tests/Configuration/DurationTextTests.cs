using GradientNode.Daemon.Cli;
using GradientNode.Daemon.Configuration;
using NUnit.Framework;

namespace GradientNode.Tests.Configuration;

[TestFixture]
[Category("Unit")]
internal sealed class DurationTextTests
{
    [TestCase("180d", 180 * 86400)]
    [TestCase("1m30s", 90)]
    [TestCase("300", 300)]
    public void Parse_Duration_IsItsLength(string text, double seconds)
    {
        Assert.That(DurationText.Parse(text, "--hsts"), Is.EqualTo(TimeSpan.FromSeconds(seconds)));
    }

    [Test]
    public void Parse_PastTheMax_ThrowsUsageExceptionSayingTheMax()
    {
        var error = Assert.Throws<UsageException>(() => DurationText.Parse("50d", "--autoscale-interval", max: TimeSpan.FromDays(1)));

        Assert.That(error!.Message, Is.EqualTo("--autoscale-interval is at most 24h, got '50d'"));
    }

    [TestCase("0")]
    [TestCase("0s")]
    public void Parse_ZeroWhereItIsNotAllowed_SaysItMustBeMoreThanZero(string text)
    {
        // Before: "--timeout wants a duration such as 20s, 5m or 1m30s, got '0'": 0 is a duration, one too short.
        var error = Assert.Throws<UsageException>(() => DurationText.Parse(text, "--timeout"));

        Assert.That(error!.Message, Is.EqualTo($"--timeout must be more than 0, got '{text}'"));
    }

    [Test]
    public void Parse_AtTheMax_IsAccepted()
    {
        Assert.That(DurationText.Parse("1d", "--autoscale-interval", max: TimeSpan.FromDays(1)), Is.EqualTo(TimeSpan.FromDays(1)));
    }

    [TestCase("99999999d")]
    [TestCase("999999999999999")]
    [TestCase("10675199d10675199d")]
    [TestCase("99999999999999999999h")]
    public void Parse_PastTheLongestTimeSpan_ThrowsUsageExceptionNamingTheOption(string text)
    {
        var error = Assert.Throws<UsageException>(() => DurationText.Parse(text, "--hsts"));

        Assert.That(error!.Message, Is.EqualTo($"--hsts wants a duration such as 20s, 5m or 1m30s, got '{text}'"));
    }
}
