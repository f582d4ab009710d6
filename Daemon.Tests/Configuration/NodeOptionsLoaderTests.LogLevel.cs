using GradientNode.Daemon.Cli;
using NUnit.Framework;

namespace GradientNode.Tests.Configuration;

/// <summary>GRADIENT_LOG_LEVEL: refused at start when it names no level, as every other setting is.</summary>
internal sealed partial class NodeOptionsLoaderTests
{
    [TestCase("warn", "; did you mean 'Warning'?")]
    [TestCase("info", "; did you mean 'Information'?")]
    [TestCase("verbose", "")]
    [TestCase("7", "")]
    public void Load_LogLevelVariableNamingNoLevel_UsageErrorNamingTheVariable(string value, string hint)
    {
        // newuser10: before, GRADIENT_LOG_LEVEL=warn was ignored without a word and the node logged at Information
        // (Enum.TryParse also took any number).
        var ex = Assert.Throws<UsageException>(() => Load(["--config", _emptyConfig], new() { ["GRADIENT_LOG_LEVEL"] = value }));

        Assert.That(ex!.Message, Is.EqualTo($"GRADIENT_LOG_LEVEL wants Trace, Debug, Information, Warning or Error (or Critical, None), got '{value}'{hint}"));
    }

    [TestCase("Debug")]
    [TestCase("warning")]
    [TestCase("")]
    public void Load_LogLevelVariableNamingALevelInAnyCaseOrEmpty_Accepted(string value) =>
        Assert.DoesNotThrow(() => Load(["--config", _emptyConfig], new() { ["GRADIENT_LOG_LEVEL"] = value }));
}
