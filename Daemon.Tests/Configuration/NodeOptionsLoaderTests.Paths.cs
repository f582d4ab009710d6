using GradientNode.Daemon.Cli;
using NUnit.Framework;

namespace GradientNode.Tests.Configuration;

/// <summary>
/// node.yaml values that are checked late or not at all: an empty path, a Docker host of an unknown scheme, half a
/// certificate pair, a ready wait of 0. Each is named where it was written, before any role starts.
/// </summary>
internal sealed partial class NodeOptionsLoaderTests
{
    [TestCase("nodeName: a\nsocket: ''\n", 2, "socket")]
    [TestCase("specsDir: ''\n", 1, "specsDir")]
    [TestCase("stateDir: ' '\n", 1, "stateDir")]
    [TestCase("runDir: ''\n", 1, "runDir")]
    [TestCase("tlsDir: ''\n", 1, "tlsDir")]
    public void Load_EmptyPathInTheFile_NamesTheFileLineAndKey(string yaml, int line, string key)
    {
        var config = WriteConfig(yaml);

        var ex = Assert.Throws<UsageException>(() => Load(["--config", config]));

        // Before: "The value cannot be an empty string." (Path.GetFullPath's own words), with no file, line or key.
        Assert.That(ex!.Message, Is.EqualTo($"{config}:{line}:1: {key} wants a path, got an empty value"));
    }

    [Test]
    public void Load_DockerHostOfAnUnknownSchemeInTheFile_NamesTheFileLineAndKey()
    {
        var config = WriteConfig("domain: example.com\ndockerHost: ftp://x\n");

        var ex = Assert.Throws<UsageException>(() => Load(["--config", config]));

        // Before: accepted here, so `up` started its proxy and only then failed with "unsupported Docker host 'ftp://x'".
        Assert.That(ex!.Message, Is.EqualTo($"{config}:2:1: dockerHost wants unix:///PATH or tcp://HOST:PORT, got 'ftp://x'"));
    }

    [TestCase("unix:///var/run/docker.sock")]
    [TestCase("tcp://127.0.0.1:2375")]
    public void Load_DockerHostOfAKnownScheme_IsTaken(string host)
    {
        var options = Load(["--config", _emptyConfig, "--docker-host", host]);

        Assert.That(options.DockerHost, Is.EqualTo(host));
    }

    [TestCase("tlsCert: /x.crt\n", "tlsCert needs tlsKey (--tls-key, GRADIENT_TLS_KEY)")]
    [TestCase("domain: example.com\ntlsKey: /x.key\n", "tlsKey needs tlsCert (--tls-cert, GRADIENT_TLS_CERT)")]
    public void Load_HalfACertificatePairInTheFile_NamesTheFileLineAndKey(string yaml, string message)
    {
        var config = WriteConfig(yaml);

        var ex = Assert.Throws<UsageException>(() => Load(["--config", config]));

        // Before: "--tls-cert needs --tls-key", a flag the user never typed.
        var line = yaml.Split('\n').TakeWhile(l => !l.StartsWith("tls", StringComparison.Ordinal)).Count() + 1;
        Assert.That(ex!.Message, Is.EqualTo($"{config}:{line}:1: {message}"));
    }

    [Test]
    public void Load_ReadyWaitOfZeroInTheFile_SaysItMustBeAtLeastOne()
    {
        var config = WriteConfig("readyWaitSeconds: 0\n");

        var ex = Assert.Throws<UsageException>(() => Load(["--config", config]));

        // Before: "must be a whole number of seconds, got '0'", and 0 is a whole number.
        Assert.That(ex!.Message, Is.EqualTo($"{config}:1:1: readyWaitSeconds must be a whole number of seconds of at least 1, got '0'"));
    }
}
