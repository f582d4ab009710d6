using GradientNode.Daemon.Api;
using NUnit.Framework;

namespace GradientNode.Tests.Api;

[TestFixture]
[Category("Unit")]
internal sealed class LogFollowLimitTests
{
    private const uint Own = 998;
    private const uint Alice = 1001;
    private const uint Bob = 1002;
    private const uint Carol = 1003;

    private static LogFollowLimit Limit(int max) =>
        new(max, Own, uid => uid switch { 0 => "root", Alice => "alice", Bob => "bob", _ => null });

    [Test]
    public void TryTake_MoreThanFit_NoneTakenAndTheRefusalNamesTheSettingAndWhoHoldsIt()
    {
        var limit = Limit(3);
        var two = limit.TryTake(0, 2, out _);

        var three = limit.TryTake(0, 2, out var refusal);

        Assert.Multiple(() =>
        {
            Assert.That(two, Has.Count.EqualTo(2));
            Assert.That(three, Is.Null, "all or none");
            Assert.That(limit.Taken, Is.EqualTo(2));
            Assert.That(refusal, Does.StartWith("the node follows 2 container logs now and at most 3 at once (--max-log-follows): following 2 more does not fit; held by uid 0 (root): 2;"));
            Assert.That(refusal, Does.Contain("raise --max-log-follows"));
        });
    }

    [Test]
    public void Shares_Default_AQuarterKeptForRootAndHalfTheRestPerMember()
    {
        var limit = Limit(LogFollowLimit.DefaultMax);

        Assert.Multiple(() =>
        {
            Assert.That(limit.RootReserve, Is.EqualTo(16));
            Assert.That(limit.MembersMax, Is.EqualTo(48));
            Assert.That(limit.MemberShare, Is.EqualTo(24));
        });
    }

    [TestCase(1, 0, 1, 1)]
    [TestCase(2, 1, 1, 1)]
    [TestCase(4, 1, 3, 2)]
    [TestCase(5, 1, 4, 2)]
    [TestCase(8, 2, 6, 3)]
    public void Shares_SmallLimits_EveryoneKeepsAtLeastOne(int max, int reserve, int members, int share)
    {
        var limit = Limit(max);

        Assert.Multiple(() =>
        {
            Assert.That(limit.RootReserve, Is.EqualTo(reserve));
            Assert.That(limit.MembersMax, Is.EqualTo(members));
            Assert.That(limit.MemberShare, Is.EqualTo(share));
        });
    }

    [Test]
    public void TryTake_MemberPastItsShare_RefusedNamingTheShareAndTheSettingWhileOthersAreServed()
    {
        var limit = Limit(LogFollowLimit.DefaultMax);
        var held = limit.TryTake(Alice, 24, out _);

        var more = limit.TryTake(Alice, 1, out var refusal);

        Assert.Multiple(() =>
        {
            Assert.That(held, Has.Count.EqualTo(24));
            Assert.That(more, Is.Null);
            Assert.That(refusal, Does.StartWith("uid 1001 (alice) follows 24 container logs now, and a user other than root at most 24 at once (half of the 48 that --max-log-follows 64 leaves to the socket group; 16 are kept for root): following 1 more does not fit"));
            Assert.That(limit.TryTake(Bob, 24, out _), Has.Count.EqualTo(24), "another member still has its share");
            Assert.That(limit.TryTake(0, 16, out _), Has.Count.EqualTo(16), "root still has its reserve");
        });
    }

    [Test]
    public void TryTake_MembersTogetherPastTheirPool_RefusedNamingWhoHoldsItAndRootStillServed()
    {
        var limit = Limit(8); // reserve 2, members 6, share 3
        limit.TryTake(Alice, 3, out _);
        limit.TryTake(Bob, 3, out _);

        var carol = limit.TryTake(Carol, 1, out var refusal);
        var root = limit.TryTake(0, 2, out _);

        Assert.Multiple(() =>
        {
            Assert.That(carol, Is.Null);
            Assert.That(refusal, Does.StartWith("users other than root follow 6 container logs now, all that --max-log-follows 8 leaves them (2 are kept for root): following 1 more does not fit; held by uid 1001 (alice): 3, uid 1002 (bob): 3;"));
            Assert.That(root, Has.Count.EqualTo(2), "members never take root's reserve");
            Assert.That(limit.Taken, Is.EqualTo(8));
        });
    }

    [Test]
    public void TryTake_RootAndTheDaemonsUser_TakeAnyFreePlaceButNotPastTheLimit()
    {
        var limit = Limit(8);
        var root = limit.TryTake(0, 5, out _);
        var own = limit.TryTake(Own, 2, out _);
        var inProcess = limit.TryTake(null, 1, out _);

        var member = limit.TryTake(Alice, 1, out var refusal);
        var more = limit.TryTake(0, 1, out var full);

        Assert.Multiple(() =>
        {
            Assert.That(root, Has.Count.EqualTo(5));
            Assert.That(own, Has.Count.EqualTo(2));
            Assert.That(inProcess, Has.Count.EqualTo(1), "a request not from the socket (in-process) counts as root");
            Assert.That(member, Is.Null);
            Assert.That(refusal, Does.StartWith("the node follows 8 container logs now and at most 8 at once (--max-log-follows)"));
            Assert.That(more, Is.Null);
            Assert.That(full, Does.Contain("held by uid 0 (root): 6, uid 998: 2"));
        });
    }

    [Test]
    public void Dispose_LeaseTwice_GivesItsPlaceBackOnceToItsHolder()
    {
        var limit = Limit(8);
        var leases = limit.TryTake(Alice, 3, out _)!;

        leases[0].Dispose();
        leases[0].Dispose();

        Assert.Multiple(() =>
        {
            Assert.That(limit.Taken, Is.EqualTo(2));
            Assert.That(limit.HeldBy(Alice), Is.EqualTo(2));
            Assert.That(limit.TryTake(Alice, 1, out _), Has.Count.EqualTo(1));
            Assert.That(limit.TryTake(Alice, 1, out _), Is.Null, "back at its share of 3");
        });
    }

    [Test]
    public void TryTake_Zero_NoLimitForAnyone() =>
        Assert.That(Limit(0).TryTake(Alice, 10_000, out _), Has.Count.EqualTo(10_000));

    [Test]
    public void TryTake_NoPlaces_AlwaysServed() =>
        Assert.That(Limit(2).TryTake(Alice, 0, out _), Is.Empty);
}
