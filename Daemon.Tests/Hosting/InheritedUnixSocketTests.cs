using GradientNode.Daemon.Hosting;
using NUnit.Framework;

namespace GradientNode.Tests.Hosting;

[TestFixture]
[Category("Unit")]
internal sealed class InheritedUnixSocketTests
{
    [Test]
    public void For_PathsSpeltDifferently_MatchesTheSameFile()
    {
        var inherited = new[] { new InheritedUnixSocket(3, "/run/gradient/gradient.sock") };

        Assert.Multiple(() =>
        {
            Assert.That(InheritedUnixSocket.For("/run/gradient/../gradient/gradient.sock", inherited), Is.EqualTo(inherited[0]));
            Assert.That(InheritedUnixSocket.For("/run/gradient/other.sock", inherited), Is.Null);
        });
    }
}
