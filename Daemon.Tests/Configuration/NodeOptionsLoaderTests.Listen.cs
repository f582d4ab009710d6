using GradientNode.Daemon.Cli;
using NUnit.Framework;

namespace GradientNode.Tests.Configuration;

/// <summary>Listen URLs are checked with the other settings, named where they were written, before any role starts.</summary>
internal sealed partial class NodeOptionsLoaderTests
{
    [TestCase("18601", "got '18601' (did you mean http://0.0.0.0:18601?)")]
    [TestCase("127.0.0.1:18601", "got '127.0.0.1:18601' (did you mean http://127.0.0.1:18601?)")]
    [TestCase("localhost:18601", "got 'localhost:18601' (did you mean http://localhost:18601?)")]
    [TestCase("http://127.0.0.1:99999", "got 'http://127.0.0.1:99999'")]
    [TestCase("ftp://127.0.0.1:18601", "got 'ftp://127.0.0.1:18601'")]
    public void Load_ListenInNodeYamlThatIsNoUrl_UsageErrorAtTheKeyNotACrash(string url, string said)
    {
        var config = WriteConfig($"nodeName: a\nlisten: \"{url}\"\n");

        var error = Assert.Throws<UsageException>(() => Load(["--config", config]));

        Assert.That(error!.Message, Is.EqualTo($"{config}:2:1: listen wants a URL such as http://0.0.0.0:8080 or https://0.0.0.0:8443, {said}"));
    }

    [Test]
    public void Load_ListenNoUrlFromVariableOrFlag_NamesTheVariableOrTheFlag()
    {
        Assert.Multiple(() =>
        {
            Assert.That(
                Assert.Throws<UsageException>(() => Load(["--config", _emptyConfig], new Dictionary<string, string> { ["GRADIENT_LISTEN"] = "http://127.0.0.1:18601,18602" }))!.Message,
                Does.StartWith("GRADIENT_LISTEN wants a URL").And.Contain("got '18602'"));
            Assert.That(
                Assert.Throws<UsageException>(() => Load(["--config", _emptyConfig, "--listen", "8080"]))!.Message,
                Does.StartWith("--listen wants a URL").And.Contain("(did you mean http://0.0.0.0:8080?)"));
        });
    }

    [Test]
    public void Load_ListenUrlWrittenTwice_SaysSoRatherThanAddressInUse()
    {
        var config = WriteConfig("listen: [http://127.0.0.1:18601, \"http://127.0.0.1:18601/\"]\n");

        var error = Assert.Throws<UsageException>(() => Load(["--config", config]));

        Assert.That(error!.Message, Is.EqualTo($"{config}:1:1: listen names http://127.0.0.1:18601/ twice; give each address once"));
    }

    [Test]
    public void Load_ListenWildcardsAndHttps_Accepted() =>
        Assert.That(
            Load(["--config", _emptyConfig, "--listen", "http://*:8080", "--listen", "https://+:8443", "--listen", "http://[::1]:8081"]).Listen,
            Is.EqualTo(new[] { "http://*:8080", "https://+:8443", "http://[::1]:8081" }));
}
