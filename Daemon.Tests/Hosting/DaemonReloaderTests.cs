using GradientNode.Daemon.Configuration;
using GradientNode.Daemon.Hosting;
using NUnit.Framework;

namespace GradientNode.Tests.Hosting;

[TestFixture]
[Category("Unit")]
public sealed class DaemonReloaderTests
{
    [Test]
    public void Differences_SameValuesInNewCollections_None()
    {
        var before = new NodeOptions { Listen = ["http://0.0.0.0:8080"], Labels = new Dictionary<string, string> { ["a"] = "1" } };
        var after = new NodeOptions { Listen = ["http://0.0.0.0:8080"], Labels = new Dictionary<string, string> { ["a"] = "1" } };

        Assert.That(DaemonReloader.Differences(before, after), Is.Empty);
    }

    [Test]
    public void Differences_ChangedKeys_NamedByNodeYamlKey()
    {
        var before = new NodeOptions();
        var after = before with { Domain = "gpu1.internal", SocketGroup = "ops", Listen = ["http://0.0.0.0:9090"] };

        Assert.That(DaemonReloader.Differences(before, after), Is.EquivalentTo(new[] { "domain", "socketGroup", "listen" }));
    }
}
