using GradientNode.Daemon.Cli;
using GradientNode.Daemon.Configuration;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace GradientNode.Tests.Configuration;

/// <summary>GRADIENT_LOG_LEVEL: refused at start when it names no level, as every other setting is.</summary>
internal sealed partial class NodeOptionsLoaderTests
{
    [TestCase("warnings", "")]
    [TestCase("inform", "; did you mean 'Information'?")]
    [TestCase("verbose", "")]
    [TestCase("7", "")]
    public void Load_LogLevelVariableNamingNoLevel_UsageErrorNamingTheVariable(string value, string hint)
    {
        // newuser10: before, GRADIENT_LOG_LEVEL=verbose (or warn) was ignored without a word and the node logged at
        // Information (Enum.TryParse also took any number).
        var ex = Assert.Throws<UsageException>(() => Load(["--config", _emptyConfig], new() { ["GRADIENT_LOG_LEVEL"] = value }));

        Assert.That(ex!.Message, Is.EqualTo($"GRADIENT_LOG_LEVEL wants Trace, Debug, Information, Warning or Error (or Critical, None), got '{value}'{hint}"));
    }

    [TestCase("Debug", LogLevel.Debug)]
    [TestCase("warning", LogLevel.Warning)]
    [TestCase("WARN", LogLevel.Warning)]
    [TestCase("info", LogLevel.Information)]
    [TestCase("", null)]
    public void Parse_LevelInAnyCaseAShortNameOrEmpty_ThatLevel(string value, LogLevel? level)
    {
        Assert.DoesNotThrow(() => Load(["--config", _emptyConfig], new() { ["GRADIENT_LOG_LEVEL"] = value }));
        Assert.That(LogLevelText.Parse(value), Is.EqualTo(level));
    }
}
