using System.Net.Sockets;
using GradientNode.Core.Reconciliation;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

[TestFixture]
[Category("Unit")]
public sealed class PortCheckFailureTests
{
    [Test]
    public void Failed_Refused_SaysNothingListensWithoutTheAddress()
    {
        Assert.That(PortCheckFailure.Failed("10.213.1.2", 8080, SocketError.ConnectionRefused),
            Is.EqualTo("port 8080 refuses connections (waiting for a server in the container to listen on it, on 0.0.0.0)"));
    }

    [TestCase(SocketError.HostUnreachable)]
    [TestCase(SocketError.NetworkUnreachable)]
    public void Failed_Unreachable_PointsAtTheRouteToTheContainer(SocketError error)
    {
        var message = PortCheckFailure.Failed("10.213.1.2", 8080, error);

        Assert.That(message, Does.StartWith($"port 8080 at 10.213.1.2 could not be reached ({error}: this host has no working route"));
        Assert.That(message, Does.Contain("`ip route get 10.213.1.2`").And.Not.Contain("listen"));
    }

    [Test]
    public void Failed_OtherError_NamesIt()
    {
        Assert.That(PortCheckFailure.Failed("10.213.1.2", 8080, SocketError.AccessDenied), Is.EqualTo("port 8080 at 10.213.1.2 could not be reached (AccessDenied)"));
    }

    [Test]
    public void Silent_NoAnswer_NamesTheAddressTheWaitAndTheRouteCheck()
    {
        Assert.That(PortCheckFailure.Silent("10.213.1.2", 8080, TimeSpan.FromMilliseconds(1500)), Is.EqualTo(
            "port 8080 at 10.213.1.2 did not answer within 1.5s, not even with a refusal (a server too busy to accept, or this host does not reach the container: check `ip route get 10.213.1.2`)"));
    }
}
