using GradientNode.Daemon.Cli;
using GradientNode.Daemon.Configuration;
using NUnit.Framework;

namespace GradientNode.Tests.Configuration;

/// <summary>The https options: certificates, redirect and HSTS.</summary>
internal sealed partial class NodeOptionsLoaderTests
{
    [Test]
    public void Load_NothingSet_TlsDefaults()
    {
        var options = Load(["--config", _emptyConfig]);

        Assert.Multiple(() =>
        {
            Assert.That(options.TlsCert, Is.Null);
            Assert.That(options.TlsDir, Is.Null);
            Assert.That(options.HttpsRedirect, Is.True);
            Assert.That(options.Hsts, Is.Null);
        });
    }

    [Test]
    public void Load_TlsFromFlagEnvAndFile_AreAppliedWithPathsMadeAbsolute()
    {
        var config = WriteConfig("tlsCert: /etc/t/w.crt\ntlsKey: /etc/t/w.key\nhttpsRedirect: \"off\"\nlisten: [http://0.0.0.0:80, https://0.0.0.0:443]\n");

        var options = Load(["--config", config, "--hsts", "180d"], new() { ["GRADIENT_TLS_DIR"] = "/etc/t/hosts" });

        Assert.Multiple(() =>
        {
            Assert.That(options.TlsCert, Is.EqualTo("/etc/t/w.crt"));
            Assert.That(options.TlsKey, Is.EqualTo("/etc/t/w.key"));
            Assert.That(options.TlsDir, Is.EqualTo("/etc/t/hosts"));
            Assert.That(options.HttpsRedirect, Is.False);
            Assert.That(options.Hsts, Is.EqualTo(TimeSpan.FromDays(180)));
            Assert.That(options.Reconciler.EndpointFor("hello"), Is.EqualTo("https://hello.localhost/"), "the endpoint shows the https listener");
        });
    }

    [Test]
    public void Load_TlsCertWithoutKey_IsUsageError() =>
        Assert.That(() => Load(["--config", _emptyConfig, "--tls-cert", "/x.crt"]), Throws.TypeOf<UsageException>().With.Message.EqualTo("--tls-cert needs --tls-key"));

    [TestCase("500ms")]
    [TestCase("0.5")]
    public void Load_HstsUnderOneSecond_IsUsageErrorNotMaxAgeZero(string text) =>
        Assert.That(() => Load(["--config", _emptyConfig, "--hsts", text]), Throws.TypeOf<UsageException>().With.Message.StartsWith("--hsts is at least 1s").And.Message.Contains(text));

    [TestCase("1.5s", "1.5s")]
    [TestCase("1500ms", "1.5s")]
    [TestCase("2.25", "2.25s")]
    public void Load_HstsWithAFractionOfASecond_IsUsageErrorNotCutSilently(string text, string told) =>
        Assert.That(() => Load(["--config", _emptyConfig, "--hsts", text]), Throws.TypeOf<UsageException>()
            .With.Message.StartsWith("--hsts counts whole seconds").And.Message.Contains($"got '{text}', which is {told}"));

    [Test]
    public void Load_HstsFractionInNodeYaml_NamesTheKeyAndLine() =>
        Assert.That(() => Load(["--config", WriteConfig("hsts: 1.5m30.5s\n")]), Throws.TypeOf<UsageException>()
            .With.Message.Contains(":1:").And.Message.Contains("hsts counts whole seconds"));

    [Test]
    public void Load_HstsOverTwoYears_IsUsageError() =>
        Assert.That(() => Load(["--config", _emptyConfig, "--hsts", "3650d"]), Throws.TypeOf<UsageException>().With.Message.StartsWith("--hsts is at most 730d"));

    [Test]
    public void Load_HstsInMinutesAndSeconds_IsAccepted() =>
        Assert.That(Load(["--config", _emptyConfig, "--hsts", "1m30s"]).Hsts, Is.EqualTo(TimeSpan.FromSeconds(90)));

    [Test]
    public void Load_HstsOneSecond_IsAccepted() =>
        Assert.That(Load(["--config", _emptyConfig, "--hsts", "1s"]).Hsts, Is.EqualTo(TimeSpan.FromSeconds(1)));

    [Test]
    public void Load_HttpsRedirectNotASwitch_IsUsageError() =>
        Assert.That(() => Load(["--config", _emptyConfig, "--https-redirect", "maybe"]), Throws.TypeOf<UsageException>().With.Message.Contains("on or off"));
}
