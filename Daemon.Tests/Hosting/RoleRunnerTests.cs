using System.Net;
using GradientNode.Daemon.Hosting;
using GradientNode.Proxy.Hosting;
using NUnit.Framework;

namespace GradientNode.Tests.Hosting;

[TestFixture]
[Category("Unit")]
internal sealed class RoleRunnerTests
{
    [Test]
    public void InheritedSocketLines_OneServedOneUnnamedOneNotTcp_SaysWhichServesWhatAndWarnsOfTheOthers()
    {
        var served = new InheritedSocket(3, new IPEndPoint(IPAddress.IPv6Any, 8443));
        var unnamed = new InheritedSocket(4, new IPEndPoint(IPAddress.IPv6Any, 9090));
        var taken = new SystemdSockets.Taken([served, unnamed], ["descriptor 5 (neither a TCP socket nor a unix socket with a path)"]);

        var lines = RoleRunner.InheritedSocketLines("up", ["https://0.0.0.0:8443", "http://0.0.0.0:8080"], "/run/gradient/gradient.sock", taken).ToList();

        Assert.That(lines, Is.EqualTo(new[]
        {
            "gradient-node up: https://0.0.0.0:8443 is served on the socket systemd holds ([::]:8443); connections wait in it through a restart",
            "gradient-node up: warning: systemd passed a socket on [::]:9090 that no listen URL names, so nothing serves it; name it in --listen (node.yaml listen:) or remove it from the socket unit",
            "gradient-node up: warning: systemd passed descriptor 5 (neither a TCP socket nor a unix socket with a path), so it is not used",
        }));
    }

    [Test]
    public void InheritedSocketLines_DaemonGivenItsApiSocketAndAnother_ServesTheOneAtItsPathAndWarnsOfTheOther()
    {
        var taken = new SystemdSockets.Taken([], [])
        {
            UnixSockets = [new InheritedUnixSocket(3, "/run/gradient/gradient.sock"), new InheritedUnixSocket(4, "/run/other.sock")],
        };

        var lines = RoleRunner.InheritedSocketLines("daemon", ["http://0.0.0.0:8080"], "/run/gradient/gradient.sock", taken).ToList();

        Assert.That(lines, Is.EqualTo(new[]
        {
            "gradient-node daemon: the API socket /run/gradient/gradient.sock is the one systemd holds; CLI connections wait in it through a restart",
            "gradient-node daemon: warning: systemd passed the unix socket /run/other.sock, which is not the API socket /run/gradient/gradient.sock (--socket), so nothing serves it; make the socket unit's ListenStream= and --socket the same path",
        }));
    }

    [Test]
    public void InheritedSocketLines_ProxyGivenAUnixSocketOrDaemonATcpOne_WarnsItIsNotUsed()
    {
        var taken = new SystemdSockets.Taken([new InheritedSocket(3, new IPEndPoint(IPAddress.IPv6Any, 8080))], [])
        {
            UnixSockets = [new InheritedUnixSocket(4, "/run/gradient/gradient.sock")],
        };

        var proxy = RoleRunner.InheritedSocketLines("proxy", ["http://0.0.0.0:8080"], "/run/gradient/gradient.sock", taken).ToList();
        var daemon = RoleRunner.InheritedSocketLines("daemon", ["http://0.0.0.0:8080"], "/run/gradient/gradient.sock", taken).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(proxy, Has.Some.EqualTo("gradient-node proxy: warning: systemd passed the unix socket /run/gradient/gradient.sock; the proxy serves TCP sockets only, so it is not used"));
            Assert.That(proxy, Has.None.Contains("API socket"));
            Assert.That(daemon, Has.Some.StartsWith("gradient-node daemon: warning: systemd passed a TCP socket on [::]:8080; the daemon serves its API on a unix socket only"));
            Assert.That(daemon, Has.None.Contains("is served on the socket systemd holds"));
        });
    }

    [Test]
    public void InheritedSocketLines_NothingPassed_SaysNothing()
    {
        Assert.That(RoleRunner.InheritedSocketLines("proxy", ["http://0.0.0.0:8080"], "/run/gradient/gradient.sock", SystemdSockets.Taken.None), Is.Empty);
    }
}
