using GradientNode.Daemon.Cli;
using NUnit.Framework;

namespace GradientNode.Tests.Configuration;

/// <summary>node.yaml: a bad value or a broken file is reported where it was written (file:line:col, or the variable), not as a flag the user never typed.</summary>
internal sealed partial class NodeOptionsLoaderTests
{
    [Test]
    public void Load_UnclosedFlowListBeforeMoreKeys_ThrowsAtTheBracketWithLineAndColumn()
    {
        // YamlDotNet throws InvalidOperationException, with no position, for this one.
        var config = WriteConfig("listen: [http://127.0.0.1:0\ndomain: x\n");

        var ex = Assert.Throws<UsageException>(() => Load(["--config", config]));

        Assert.That(ex!.Message, Is.EqualTo($"{config}:1:9: invalid YAML: the parser stopped after this point (check for an unclosed '[', '{{' or quote)"));
    }

    [TestCase("domain: example.com\nhsts: 5ms\n", 2, "hsts is at least 1s")]
    [TestCase("httpsRedirect: maybe\n", 1, "httpsRedirect wants on or off, got 'maybe'")]
    [TestCase("nodeName: a\n\npidsLimit: lots\n", 3, "pidsLimit must be a whole number of at least 0, got 'lots'")]
    [TestCase("domain: a..b\n", 1, "domain wants a host name")]
    public void Load_BadValueInTheFile_NamesTheFileLineAndKeyNotTheFlag(string yaml, int line, string message)
    {
        var config = WriteConfig(yaml);

        var ex = Assert.Throws<UsageException>(() => Load(["--config", config]));

        Assert.That(ex!.Message, Does.StartWith($"{config}:{line}:1: {message}").And.Not.Contain(" --"));
    }

    [Test]
    public void Load_BadValueInAVariable_NamesTheVariable()
    {
        var ex = Assert.Throws<UsageException>(() => Load(["--config", _emptyConfig], new() { ["GRADIENT_HSTS"] = "5ms" }));

        Assert.That(ex!.Message, Does.StartWith("GRADIENT_HSTS is at least 1s"));
    }

    [Test]
    public void Load_BadValueOnTheCommandLineOverAGoodOneInTheFile_NamesTheFlag()
    {
        var config = WriteConfig("hsts: 1d\n");

        var ex = Assert.Throws<UsageException>(() => Load(["--config", config, "--hsts", "5ms"]));

        Assert.That(ex!.Message, Does.StartWith("--hsts is at least 1s"));
    }
}
