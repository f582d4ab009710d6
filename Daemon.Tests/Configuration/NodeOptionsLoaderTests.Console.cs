using GradientNode.Daemon.Cli;
using NUnit.Framework;

namespace GradientNode.Tests.Configuration;

/// <summary>node.yaml's <c>console</c>: the daemon-served web console.</summary>
internal sealed partial class NodeOptionsLoaderTests
{
    [Test]
    public void Load_NoConsoleKey_ServesNoConsole() =>
        Assert.That(Load(["--config", _emptyConfig]).ConsoleListen, Is.Null);

    [Test]
    public void Load_ConsoleOnLoopback_IsTaken()
    {
        var options = Load(["--config", WriteConfig("console: {listen: 127.0.0.1:7080}\n")]);

        Assert.That(options.ConsoleListen?.Url, Is.EqualTo("http://127.0.0.1:7080/"));
        Assert.That(options.ConsoleAllowRemote, Is.False);
    }

    [Test]
    public void Load_ConsoleOnANetworkAddress_IsRefusedWithTheKeyLineAndTheSwitch()
    {
        var config = WriteConfig("domain: x.example\nconsole:\n  listen: 0.0.0.0:7080\n");

        Assert.That(() => Load(["--config", config]), Throws.TypeOf<UsageException>()
            .With.Message.StartsWith($"{config}:2:1: console.listen '0.0.0.0:7080' is not a loopback address")
            .And.Message.Contains("console.allowRemote: true"));
    }

    [Test]
    public void Load_MisspeltKeyBesideABadValue_ReportsTheMisspeltKeyFirst()
    {
        var config = WriteConfig("console:\n  listen: 0.0.0.0:7080\nlisen: http://127.0.0.1:9000\n");

        Assert.That(() => Load(["--config", config]), Throws.TypeOf<UsageException>()
            .With.Message.EqualTo($"{config}:3:1: unknown key 'lisen'; did you mean 'listen'?"));
    }

    [Test]
    public void Load_ConsoleOnANetworkAddressWithAllowRemote_IsTaken()
    {
        var options = Load(["--config", WriteConfig("console: {listen: 0.0.0.0:7080, allowRemote: true}\n")]);

        Assert.That(options.ConsoleListen?.Url, Is.EqualTo("http://0.0.0.0:7080/"));
        Assert.That(options.ConsoleAllowRemote, Is.True);
    }

    [TestCase("console: {listen: 127.0.0.1:7080, port: 3}\n", "console: unknown key 'port'")]
    [TestCase("console: {allowRemote: true}\n", "console: missing listen")]
    [TestCase("console: 127.0.0.1:7080\n", "console: expected a map")]
    [TestCase("console: {listen: 127.0.0.1:7080, allowRemote: maybe}\n", "console.allowRemote wants on or off")]
    public void Load_BadConsoleSetting_IsAUsageErrorThatSaysWhy(string yaml, string message) =>
        Assert.That(() => Load(["--config", WriteConfig(yaml)]), Throws.TypeOf<UsageException>().With.Message.Contains(message));
}
