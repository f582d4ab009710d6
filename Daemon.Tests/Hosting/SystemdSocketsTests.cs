using System.Net;
using GradientNode.Daemon.Hosting;
using GradientNode.Proxy.Hosting;
using NUnit.Framework;

namespace GradientNode.Tests.Hosting;

[TestFixture]
[Category("Unit")]
internal sealed class SystemdSocketsTests
{
    private static readonly IPEndPoint Any8080 = new(IPAddress.IPv6Any, 8080);
    private static readonly IPEndPoint Loopback8443 = new(IPAddress.Loopback, 8443);

    private static Func<string, string?> Env(string? pid, string? fds) => name => name switch
    {
        "LISTEN_PID" => pid,
        "LISTEN_FDS" => fds,
        _ => null,
    };

    [Test]
    public void Read_TwoSocketsForThisProcess_TakesDescriptorsFromThreeWithTheirAddresses()
    {
        var taken = SystemdSockets.Read(Env("42", "2"), 42, fd => fd == 3 ? Any8080 : Loopback8443);

        Assert.Multiple(() =>
        {
            Assert.That(taken.Sockets, Is.EqualTo(new[] { new InheritedSocket(3, Any8080), new InheritedSocket(4, Loopback8443) }));
            Assert.That(taken.Skipped, Is.Empty);
        });
    }

    [TestCase("41", "1", TestName = "Read_LISTEN_PIDOfAnotherProcess_TakesNothing")]
    [TestCase(null, "1", TestName = "Read_NoLISTEN_PID_TakesNothing")]
    [TestCase("42", null, TestName = "Read_NoLISTEN_FDS_TakesNothing")]
    [TestCase("42", "0", TestName = "Read_ZeroDescriptors_TakesNothing")]
    [TestCase("42", "-1", TestName = "Read_NegativeCount_TakesNothing")]
    [TestCase("42", "two", TestName = "Read_CountNotANumber_TakesNothing")]
    public void Read_NotForThisProcessOrNoCount_TakesNothing(string? pid, string? fds)
    {
        var asked = new List<int>();

        var taken = SystemdSockets.Read(Env(pid, fds), 42, fd => { asked.Add(fd); return Any8080; });

        Assert.Multiple(() =>
        {
            Assert.That(taken.Sockets, Is.Empty);
            Assert.That(asked, Is.Empty, "no descriptor is looked at: they may be the process's own files");
        });
    }

    [Test]
    public void Read_ADescriptorThatIsNoTcpOrUnixSocket_SkippedAndNamed()
    {
        var taken = SystemdSockets.Read(Env("42", "2"), 42, fd => fd == 3 ? null : Any8080, _ => null);

        Assert.Multiple(() =>
        {
            Assert.That(taken.Sockets, Is.EqualTo(new[] { new InheritedSocket(4, Any8080) }));
            Assert.That(taken.Skipped, Is.EqualTo(new[] { "descriptor 3 (neither a TCP socket nor a unix socket with a path)" }));
        });
    }

    [Test]
    public void Read_AUnixSocketBesideATcpOne_TakesItWithItsPath()
    {
        var taken = SystemdSockets.Read(Env("42", "2"), 42, fd => fd == 4 ? Any8080 : null, fd => fd == 3 ? "/run/gradient/gradient.sock" : null);

        Assert.Multiple(() =>
        {
            Assert.That(taken.UnixSockets, Is.EqualTo(new[] { new InheritedUnixSocket(3, "/run/gradient/gradient.sock") }));
            Assert.That(taken.Sockets, Is.EqualTo(new[] { new InheritedSocket(4, Any8080) }));
            Assert.That(taken.Skipped, Is.Empty);
        });
    }

    [Test]
    public void Read_AHugeCount_LooksAtNoMoreThanSixtyFour()
    {
        var asked = 0;

        _ = SystemdSockets.Read(Env("42", "100000"), 42, _ => { asked++; return null; });

        Assert.That(asked, Is.EqualTo(64));
    }
}
