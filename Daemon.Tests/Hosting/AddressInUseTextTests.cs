using GradientNode.Daemon.Hosting;
using NUnit.Framework;

namespace GradientNode.Tests.Hosting;

[TestFixture]
[Category("Unit")]
internal sealed class AddressInUseTextTests
{
    [Test]
    public void For_KestrelsLine_AddsWhoToLookForAndWhatToChange() =>
        Assert.That(
            AddressInUseText.For("Failed to bind to address http://127.0.0.1:18608: address already in use."),
            Is.EqualTo("Failed to bind to address http://127.0.0.1:18608: address already in use: another program (or another gradient-node) listens there; "
                + "find it with `ss -ltnp 'sport = :18608'` and stop it, or give this node another address (--listen, GRADIENT_LISTEN or listen in node.yaml)"));
}
