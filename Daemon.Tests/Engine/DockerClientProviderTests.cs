using GradientNode.Core.Engine;
using NUnit.Framework;

namespace GradientNode.Tests.Engine;

[TestFixture]
[Category("Unit")]
internal sealed class DockerClientProviderTests
{
    [Test]
    public void PingAsync_NoSocket_ThrowsEngineUnavailableNamingTheHost()
    {
        var host = $"unix:///tmp/gn-missing-{Guid.NewGuid():N}.sock";
        using var engine = new DockerEngine(new DockerEngineOptions(host));

        var ex = Assert.ThrowsAsync<EngineUnavailableException>(() => engine.PingAsync(CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain(host));
    }

    [Test]
    public void ListContainersAsync_ClosedTcpPort_ThrowsEngineUnavailable()
    {
        using var engine = new DockerEngine(new DockerEngineOptions("tcp://127.0.0.1:1"));

        Assert.ThrowsAsync<EngineUnavailableException>(() => engine.ListContainersAsync([], CancellationToken.None));
    }

    [Test]
    public void Constructor_UnknownScheme_Throws() =>
        Assert.That(() => new DockerClientProvider("ssh://host"), Throws.ArgumentException);

    [TestCase("1.41", "1.41")]
    [TestCase("1.54", "1.54")]
    [TestCase("1.60", "1.54")]
    [TestCase("1.41.2", "1.41")]
    public void Negotiate_EngineVersion_NeverNewerThanEngineOrLibrary(string engine, string expected) =>
        Assert.That(DockerClientProvider.Negotiate(engine), Is.EqualTo(Version.Parse(expected)));

    [TestCase("")]
    [TestCase(null)]
    [TestCase("next")]
    public void Negotiate_UnknownEngineVersion_LeavesPathsUnversioned(string? engine) =>
        Assert.That(DockerClientProvider.Negotiate(engine), Is.Null);
}
