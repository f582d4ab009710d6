using GradientNode.Daemon.Cli;
using NUnit.Framework;

namespace GradientNode.Tests.Configuration;

/// <summary>--domain: a host name or a usage error, for every role (the proxy's own check came after the node CA had failed on it).</summary>
internal sealed partial class NodeOptionsLoaderTests
{
    [TestCase("a..b")]
    [TestCase("-gpu1.example.com")]
    [TestCase("gpu1-.example.com")]
    [TestCase("gpu1.exa mple.com")]
    public void Load_DomainNotAHostName_IsUsageErrorNamingIt(string domain)
    {
        var ex = Assert.Throws<UsageException>(() => Load(["--config", _emptyConfig, "--domain", domain]));

        Assert.That(ex!.Message, Does.StartWith("--domain wants a host name").And.EndWith($"got '{domain}'"));
    }

    [TestCase("localhost")]
    [TestCase("gpu1.example.internal")]
    [TestCase("under_score.test")]
    [TestCase("10.0.0.7")]
    public void Load_DomainHostName_IsAccepted(string domain) =>
        Assert.That(Load(["--config", _emptyConfig, "--domain", domain]).Domain, Is.EqualTo(domain));
}
