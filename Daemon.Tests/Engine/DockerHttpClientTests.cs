using GradientNode.Core.Engine;
using NUnit.Framework;

namespace GradientNode.Tests.Engine;

[TestFixture]
[Category("Unit")]
internal sealed class DockerHttpClientTests
{
    [Test]
    public void SendAsync_NoSocket_ThrowsEngineUnavailableNamingTheHost()
    {
        var host = $"unix:///tmp/gn-missing-{Guid.NewGuid():N}.sock";
        using var engine = new DockerEngine(new DockerEngineOptions(host));

        var ex = Assert.ThrowsAsync<EngineUnavailableException>(() => engine.PingAsync(CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain(host));
    }

    [Test]
    public void SendAsync_ClosedTcpPort_ThrowsEngineUnavailable()
    {
        using var engine = new DockerEngine(new DockerEngineOptions("tcp://127.0.0.1:1"));

        Assert.ThrowsAsync<EngineUnavailableException>(() => engine.ListContainersAsync([], CancellationToken.None));
    }

    [Test]
    public void Constructor_UnknownScheme_Throws() =>
        Assert.That(() => new DockerHttpClient("ssh://host"), Throws.ArgumentException);
}
