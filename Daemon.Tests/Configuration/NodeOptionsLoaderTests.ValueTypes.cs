using GradientNode.Daemon.Cli;
using NUnit.Framework;

namespace GradientNode.Tests.Configuration;

/// <summary>node.yaml: a value of the wrong YAML kind stops the node (a list or map for a string key used to be ignored silently).</summary>
internal sealed partial class NodeOptionsLoaderTests
{
    [TestCase("tlsCert: [a.crt, b.crt]\ntlsKey: a.key\n", "tlsCert expects a string, not a list")]
    [TestCase("domain: example.com\nhsts: {maxAge: 1d}\n", "hsts expects a string, not a map")]
    [TestCase("domain: example.com\nhttpsRedirect: [on]\n", "httpsRedirect expects a string, not a list")]
    public void Load_ListOrMapForAStringKey_ThrowsAtTheKey(string yaml, string message)
    {
        var config = WriteConfig(yaml);
        var line = yaml.Split('\n').ToList().FindIndex(l => l.Contains(message.Split(' ')[0] + ":", StringComparison.Ordinal)) + 1;

        var ex = Assert.Throws<UsageException>(() => Load(["--config", config]));

        Assert.That(ex!.Message, Is.EqualTo($"{config}:{line}:1: {message}"));
    }

    [TestCase("listen: {http: 0.0.0.0:80}\n", "listen expects a string or a list of strings, not a map")]
    [TestCase("gitLocalRoots: {a: b}\n", "gitLocalRoots expects a string or a list of strings, not a map")]
    [TestCase("labels: team=ml\n", "labels expects a map (key: value lines under it), not a string")]
    public void Load_WrongKindForAListOrMapKey_ThrowsAtTheKey(string yaml, string message)
    {
        var config = WriteConfig(yaml);

        var ex = Assert.Throws<UsageException>(() => Load(["--config", config]));

        Assert.That(ex!.Message, Is.EqualTo($"{config}:1:1: {message}"));
    }

    [Test]
    public void Load_StringForAListKey_IsAListOfOne()
    {
        var config = WriteConfig("listen: https://0.0.0.0:8443\n");

        Assert.That(Load(["--config", config]).Listen, Is.EqualTo(new[] { "https://0.0.0.0:8443" }));
    }
}
