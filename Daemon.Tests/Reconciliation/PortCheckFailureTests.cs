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

    [Test]
    public void Failed_RefusedWhileTheContainerExposesAnotherPort_NamesThatPort()
    {
        Assert.That(PortCheckFailure.Failed("10.213.1.2", 9090, SocketError.ConnectionRefused, [9090, 8080]), Is.EqualTo(
            "port 9090 refuses connections (waiting for a server in the container to listen on it, on 0.0.0.0); the container also exposes 8080: the first of resources.ports (9090) is the port checked and served"));
    }

    [Test]
    public void Refused_ContainerExposesOnlyThatPort_NoHint()
    {
        Assert.That(PortCheckFailure.Refused(8080, [8080]), Is.EqualTo(PortCheckFailure.Refused(8080)));
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
