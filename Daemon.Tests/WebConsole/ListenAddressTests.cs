using GradientNode.Daemon.Cli;
using GradientNode.Daemon.WebConsole;
using NUnit.Framework;

namespace GradientNode.Tests.WebConsole;

[TestFixture]
[Category("Unit")]
internal sealed class ListenAddressTests
{
    [TestCase("127.0.0.1:7080", "http://127.0.0.1:7080/")]
    [TestCase("localhost:9000", "http://127.0.0.1:9000/")]
    [TestCase("http://127.0.0.2:81", "http://127.0.0.2:81/")]
    [TestCase("[::1]:7080", "http://[::1]:7080/")]
    public void Parse_Loopback_IsAccepted(string text, string url) =>
        Assert.That(ListenAddress.Parse(text).Url, Is.EqualTo(url));

    [TestCase("0.0.0.0:7080")]
    [TestCase("[::]:7080")]
    [TestCase("192.168.1.5:7080")]
    public void Parse_NotLoopback_IsRefusedWithTheReason(string text) =>
        Assert.That(() => ListenAddress.Parse(text), Throws.TypeOf<UsageException>().With.Message.Contains("not a loopback address"));

    [TestCase("0.0.0.0:7080", "http://0.0.0.0:7080/")]
    [TestCase("192.168.1.5:7080", "http://192.168.1.5:7080/")]
    public void Parse_NotLoopbackWithAllowRemote_IsAccepted(string text, string url) =>
        Assert.That(ListenAddress.Parse(text, allowRemote: true).Url, Is.EqualTo(url));

    [Test]
    public void Parse_NotLoopbackFromNodeYaml_NamesTheKeyAndTheSwitch() =>
        Assert.That(() => ListenAddress.Parse("0.0.0.0:7080", what: "console.listen"),
            Throws.TypeOf<UsageException>().With.Message.StartsWith("console.listen '0.0.0.0:7080' is not a loopback address").And.Message.Contains("console.allowRemote"));

    [TestCase("7080")]
    [TestCase("example.com:7080")]
    [TestCase("127.0.0.1:99999")]
    public void Parse_Malformed_IsAUsageError(string text) =>
        Assert.That(() => ListenAddress.Parse(text), Throws.TypeOf<UsageException>());

    [TestCase("localhost", true)]
    [TestCase("127.0.0.1", true)]
    [TestCase("[::1]", true)]
    [TestCase("evil.example", false)]
    [TestCase("127.0.0.1.nip.io", false)]
    public void IsLoopbackHost_RebindingNames_AreNot(string host, bool expected) =>
        Assert.That(ConsoleServer.IsLoopbackHost(host), Is.EqualTo(expected));

    [TestCase("localhost", false, true)]
    [TestCase("192.168.1.5", false, false)]
    [TestCase("192.168.1.5", true, true)]
    [TestCase("[fd00::5]", true, true)]
    [TestCase("node.example", true, false)]
    [TestCase("192.168.1.5.nip.io", true, false)]
    public void IsAllowedHost_WithAllowRemote_AcceptsIpLiteralsButNeverANameThatCouldRebind(string host, bool allowRemote, bool expected) =>
        Assert.That(ConsoleServer.IsAllowedHost(host, allowRemote), Is.EqualTo(expected));
}
