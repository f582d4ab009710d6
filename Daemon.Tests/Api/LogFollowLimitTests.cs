using GradientNode.Daemon.Api;
using NUnit.Framework;

namespace GradientNode.Tests.Api;

[TestFixture]
[Category("Unit")]
internal sealed class LogFollowLimitTests
{
    [Test]
    public void TryTake_MoreThanFit_NoneTakenAndTheRefusalNamesTheSetting()
    {
        var limit = new LogFollowLimit(3);
        var two = limit.TryTake(2);

        var three = limit.TryTake(2);

        Assert.Multiple(() =>
        {
            Assert.That(two, Has.Count.EqualTo(2));
            Assert.That(three, Is.Null, "all or none");
            Assert.That(limit.Taken, Is.EqualTo(2));
            Assert.That(limit.Refusal(2), Does.StartWith("the node follows 2 container logs now and at most 3 at once (--max-log-follows): following 2 more does not fit"));
        });
    }

    [Test]
    public void Dispose_LeaseTwice_GivesItsPlaceBackOnce()
    {
        var limit = new LogFollowLimit(2);
        var leases = limit.TryTake(2)!;

        leases[0].Dispose();
        leases[0].Dispose();

        Assert.Multiple(() =>
        {
            Assert.That(limit.Taken, Is.EqualTo(1));
            Assert.That(limit.TryTake(1), Has.Count.EqualTo(1));
            Assert.That(limit.TryTake(1), Is.Null);
        });
    }

    [Test]
    public void TryTake_Zero_NoLimit() =>
        Assert.That(new LogFollowLimit(0).TryTake(10_000), Has.Count.EqualTo(10_000));
}
