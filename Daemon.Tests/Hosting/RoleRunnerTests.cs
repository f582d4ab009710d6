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
        var taken = new SystemdSockets.Taken([served, unnamed], ["descriptor 5 (not a TCP socket)"]);

        var lines = RoleRunner.InheritedSocketLines("up", ["https://0.0.0.0:8443", "http://0.0.0.0:8080"], taken).ToList();

        Assert.That(lines, Is.EqualTo(new[]
        {
            "gradient-node up: https://0.0.0.0:8443 is served on the socket systemd holds ([::]:8443); connections wait in it through a restart",
            "gradient-node up: warning: systemd passed a socket on [::]:9090 that no listen URL names, so nothing serves it; name it in --listen (node.yaml listen:) or remove it from the socket unit",
            "gradient-node up: warning: systemd passed descriptor 5 (not a TCP socket); the proxy serves TCP sockets only, so it is not used",
        }));
    }

    [Test]
    public void InheritedSocketLines_NothingPassed_SaysNothing()
    {
        Assert.That(RoleRunner.InheritedSocketLines("proxy", ["http://0.0.0.0:8080"], new SystemdSockets.Taken([], [])), Is.Empty);
    }
}
