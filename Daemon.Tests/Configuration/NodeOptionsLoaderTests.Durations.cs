using GradientNode.Daemon.Cli;
using GradientNode.Daemon.Configuration;
using NUnit.Framework;

namespace GradientNode.Tests.Configuration;

/// <summary>The options that are durations: the ready wait, the autoscaler's interval and stabilization, the pull stall timeout.</summary>
internal sealed partial class NodeOptionsLoaderTests
{
    [TestCase("45", 45)]
    [TestCase("1", 1)]
    public void Load_ReadyWait_IsSeconds(string text, int seconds)
    {
        Assert.That(Load(["--config", _emptyConfig, "--ready-wait", text]).ReadyWait, Is.EqualTo(TimeSpan.FromSeconds(seconds)));
    }

    [Test]
    public void Load_ReadyWaitFromEnv_IsSeconds()
    {
        Assert.That(Load(["--config", _emptyConfig], new() { ["GRADIENT_READY_WAIT"] = "7" }).ReadyWait, Is.EqualTo(TimeSpan.FromSeconds(7)));
    }

    [TestCase("0")]
    [TestCase("-1")]
    [TestCase("1.5")]
    [TestCase("30s")]
    [TestCase("abc")]
    public void Load_BadReadyWait_ThrowsUsageException(string text)
    {
        var ex = Assert.Throws<UsageException>(() => Load(["--config", _emptyConfig, "--ready-wait", text]));

        Assert.That(ex!.Message, Does.Contain("--ready-wait"));
    }

    [Test]
    public void Load_AutoscalerDefaults_TwoSecondsAndFiveMinutes()
    {
        var options = Load(["--config", _emptyConfig]);

        Assert.That(options.Autoscaler.Interval, Is.EqualTo(TimeSpan.FromSeconds(2)));
        Assert.That(options.Autoscaler.ScaleDownStabilization, Is.EqualTo(TimeSpan.FromMinutes(5)));
    }

    [Test]
    public void Load_PullStallTimeout_DefaultTwoMinutesAndFlagBeatsEnvBeatsFile()
    {
        var config = WriteConfig("pullStallTimeout: 5m\n");

        var defaults = Load(["--config", _emptyConfig]);
        var fromFile = Load(["--config", config]);
        var fromEnv = Load(["--config", config], new() { ["GRADIENT_PULL_STALL_TIMEOUT"] = "90s" });
        var fromFlag = Load(["--config", config, "--pull-stall-timeout", "30s"], new() { ["GRADIENT_PULL_STALL_TIMEOUT"] = "90s" });

        Assert.Multiple(() =>
        {
            Assert.That(defaults.PullStallTimeout, Is.EqualTo(TimeSpan.FromMinutes(2)));
            Assert.That(fromFile.PullStallTimeout, Is.EqualTo(TimeSpan.FromMinutes(5)));
            Assert.That(fromEnv.PullStallTimeout, Is.EqualTo(TimeSpan.FromSeconds(90)));
            Assert.That(fromFlag.PullStallTimeout, Is.EqualTo(TimeSpan.FromSeconds(30)));
        });
    }

    [Test]
    public void Load_AutoscalerOptions_FlagBeatsEnvBeatsFile()
    {
        var config = WriteConfig("autoscaleInterval: 7s\nscaleDownStabilization: 10m\n");

        var fromFile = Load(["--config", config]);
        var fromEnv = Load(["--config", config], new() { ["GRADIENT_SCALE_DOWN_STABILIZATION"] = "1m30s" });
        var fromFlag = Load(["--config", config, "--scale-down-stabilization", "20s", "--autoscale-interval", "500ms"], new() { ["GRADIENT_SCALE_DOWN_STABILIZATION"] = "1m30s" });

        Assert.Multiple(() =>
        {
            Assert.That(fromFile.Autoscaler.Interval, Is.EqualTo(TimeSpan.FromSeconds(7)));
            Assert.That(fromFile.Autoscaler.ScaleDownStabilization, Is.EqualTo(TimeSpan.FromMinutes(10)));
            Assert.That(fromEnv.Autoscaler.ScaleDownStabilization, Is.EqualTo(TimeSpan.FromSeconds(90)));
            Assert.That(fromFlag.Autoscaler.ScaleDownStabilization, Is.EqualTo(TimeSpan.FromSeconds(20)));
            Assert.That(fromFlag.Autoscaler.Interval, Is.EqualTo(TimeSpan.FromMilliseconds(500)));
        });
    }

    [TestCase("300", 300)]
    [TestCase("0", 0)]
    [TestCase("2.5", 2.5)]
    [TestCase("1h", 3600)]
    [TestCase("1m30s", 90)]
    public void Load_ScaleDownStabilization_AcceptsDurations(string text, double seconds)
    {
        var options = Load(["--config", _emptyConfig, "--scale-down-stabilization", text]);

        Assert.That(options.Autoscaler.ScaleDownStabilization, Is.EqualTo(TimeSpan.FromSeconds(seconds)));
    }

    [TestCase("--autoscale-interval", "0")]
    [TestCase("--autoscale-interval", "fast")]
    [TestCase("--autoscale-interval", "50d")]
    [TestCase("--autoscale-interval", "24h1s")]
    [TestCase("--scale-down-stabilization", "-5s")]
    [TestCase("--scale-down-stabilization", "5 minutes")]
    public void Load_BadDuration_ThrowsUsageExceptionNamingOption(string option, string value)
    {
        var ex = Assert.Throws<UsageException>(() => Load(["--config", _emptyConfig, option, value]));

        Assert.That(ex!.Message, Does.Contain(option).And.Contain(value));
    }
}
