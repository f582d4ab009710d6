using System.Net;
using GradientNode.Proxy;
using GradientNode.Proxy.Auth;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace GradientNode.Tests.Proxy.Auth;

[TestFixture]
[Category("Unit")]
internal sealed class AuthFailureLimiterTests
{
    private static readonly IPAddress Attacker = IPAddress.Parse("203.0.113.7");
    private static readonly IPAddress User = IPAddress.Parse("198.51.100.1");

    private FakeTimeProvider _time = null!;
    private CollectingLogger<AuthFailureLimiter> _log = null!;

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider();
        _log = new CollectingLogger<AuthFailureLimiter>();
    }

    [Test]
    public void RecordFailure_LimitReached_LockedOutForTheWindow()
    {
        var limiter = Limiter();
        Fail(limiter, Attacker, "app", 9);
        Assert.That(limiter.IsLockedOut(Attacker, "app", out _), Is.False, "9 of 10 allowed");

        _time.Advance(TimeSpan.FromSeconds(10));
        Fail(limiter, Attacker, "app", 1);

        Assert.That(limiter.IsLockedOut(Attacker, "app", out var retryAfter), Is.True);
        Assert.That(retryAfter, Is.EqualTo(TimeSpan.FromMinutes(1)), "the lockout starts at the 10th failure");
    }

    [Test]
    public void IsLockedOut_OtherClientOrOtherDeployment_NotAffected()
    {
        var limiter = Limiter();
        Fail(limiter, Attacker, "app", 10);

        Assert.Multiple(() =>
        {
            Assert.That(limiter.IsLockedOut(Attacker, "app", out _), Is.True);
            Assert.That(limiter.IsLockedOut(User, "app", out _), Is.False, "another address");
            Assert.That(limiter.IsLockedOut(Attacker, "other", out _), Is.False, "another deployment");
        });
    }

    [Test]
    public void IsLockedOut_LockoutExpired_RecoversAndCountsAfresh()
    {
        var limiter = Limiter();
        Fail(limiter, Attacker, "app", 10);
        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.That(limiter.IsLockedOut(Attacker, "app", out var retryAfter), Is.True);
        Assert.That(retryAfter, Is.EqualTo(TimeSpan.FromSeconds(1)));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.That(limiter.IsLockedOut(Attacker, "app", out _), Is.False);
        Fail(limiter, Attacker, "app", 9);
        Assert.That(limiter.IsLockedOut(Attacker, "app", out _), Is.False, "a new window: 9 of 10 again");
        Fail(limiter, Attacker, "app", 1);
        Assert.That(limiter.IsLockedOut(Attacker, "app", out _), Is.True);
    }

    [Test]
    public void RecordFailure_SpreadOverWindows_NeverLocks()
    {
        var limiter = Limiter();
        for (var i = 0; i < 5; i++)
        {
            Fail(limiter, Attacker, "app", 9);
            _time.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.That(limiter.IsLockedOut(Attacker, "app", out _), Is.False);
    }

    [Test]
    public void IsLockedOut_SameIpv6Slash64_SharesTheLockout()
    {
        var limiter = Limiter();
        for (var i = 1; i <= 10; i++)
        {
            limiter.RecordFailure(IPAddress.Parse($"2001:db8:1:2::{i:x}"), "app");
        }

        Assert.Multiple(() =>
        {
            Assert.That(limiter.IsLockedOut(IPAddress.Parse("2001:db8:1:2:abcd::1"), "app", out _), Is.True, "one /64 is one client");
            Assert.That(limiter.IsLockedOut(IPAddress.Parse("2001:db8:1:3::1"), "app", out _), Is.False, "the next /64 is another");
        });
    }

    [Test]
    public void RecordFailure_LimitZero_NeverLocksOrTracks()
    {
        var limiter = Limiter(o => o with { AuthFailureLimit = 0 });
        Fail(limiter, Attacker, "app", 100);

        Assert.That(limiter.IsLockedOut(Attacker, "app", out _), Is.False);
        Assert.That(limiter.Tracked, Is.Zero);
    }

    [Test]
    public void Sweep_WindowAndLockoutOver_ForgetsTheClient()
    {
        var limiter = Limiter();
        Fail(limiter, Attacker, "app", 10);
        Fail(limiter, User, "app", 1);
        _time.Advance(TimeSpan.FromSeconds(59));
        limiter.Sweep();
        Assert.That(limiter.Tracked, Is.EqualTo(2), "both windows still open");

        _time.Advance(TimeSpan.FromSeconds(1));
        limiter.Sweep();
        Assert.That(limiter.Tracked, Is.Zero);
    }

    [Test]
    public void RecordFailure_FloodOfNewClients_EvictsPartialCountsButNeverALockout()
    {
        var limiter = Limiter(o => o with { AuthFailureTableSize = 100 });
        Fail(limiter, Attacker, "app", 10);
        for (var i = 0; i < 1000; i++)
        {
            limiter.RecordFailure(IPAddress.Parse($"10.0.{i / 256}.{i % 256}"), "app");
            if (i % 50 == 0)
            {
                _time.Advance(TimeSpan.FromSeconds(1.1)); // a full table is swept at most once a second
            }
        }

        Assert.That(limiter.Tracked, Is.LessThanOrEqualTo(100));
        Assert.That(limiter.IsLockedOut(Attacker, "app", out _), Is.True, "the flood did not evict the lockout");
    }

    [Test]
    public void RecordFailure_TableFullOfLockouts_NewClientsShareOneBudgetPerDeployment()
    {
        var limiter = Limiter(o => o with { AuthFailureTableSize = 3 });
        foreach (var flooder in new[] { "10.0.0.1", "10.0.0.2", "10.0.0.3" })
        {
            Fail(limiter, IPAddress.Parse(flooder), "app", 10);
        }

        _time.Advance(TimeSpan.FromSeconds(2));
        for (var i = 0; i < 10; i++)
        {
            limiter.RecordFailure(IPAddress.Parse($"10.1.0.{i}"), "app");
        }

        Assert.Multiple(() =>
        {
            Assert.That(limiter.IsLockedOut(IPAddress.Parse("10.0.0.1"), "app", out _), Is.True, "the lockouts stay");
            Assert.That(limiter.IsLockedOut(IPAddress.Parse("10.2.0.1"), "app", out _), Is.True, "an address without room shares the exhausted budget");
            Assert.That(limiter.IsLockedOut(IPAddress.Parse("10.2.0.1"), "other", out _), Is.False, "only for the attacked deployment");
            Assert.That(_log.Events.Count(e => e.Id.Id == ProxyLogEvents.AuthFailureTableFull), Is.EqualTo(1));
        });

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.That(limiter.IsLockedOut(IPAddress.Parse("10.2.0.1"), "app", out _), Is.False, "until the lockouts expire");
    }

    [Test]
    public void RecordFailure_LockedOut_LoggedOnceNamingClientAndDeploymentOnly()
    {
        var limiter = Limiter();
        Fail(limiter, Attacker, "app", 25);
        _time.Advance(TimeSpan.FromSeconds(30));
        Fail(limiter, Attacker, "app", 5);

        var lockouts = _log.Events.Where(e => e.Id.Id == ProxyLogEvents.AuthLockout).ToList();
        Assert.That(lockouts, Has.Count.EqualTo(1));
        Assert.That(lockouts[0].Message, Does.Contain("203.0.113.7").And.Contain("deployment app").And.Contain("10 wrong passwords"));
    }

    [Test]
    public void RecordFailure_ManyLockoutsInOneWindow_LogsAtMostTheCapThenCountsTheRest()
    {
        var limiter = Limiter(o => o with { AuthFailureLimit = 1 });
        for (var i = 0; i < AuthFailureLimiter.LoggedLockoutsPerWindow + 20; i++)
        {
            limiter.RecordFailure(IPAddress.Parse($"10.0.{i / 256}.{i % 256}"), "app");
        }

        Assert.That(_log.Events.Count(e => e.Id.Id == ProxyLogEvents.AuthLockout), Is.EqualTo(AuthFailureLimiter.LoggedLockoutsPerWindow));
        _time.Advance(TimeSpan.FromMinutes(1));
        limiter.RecordFailure(Attacker, "app");

        var notLogged = _log.Events.Single(e => e.Id.Id == ProxyLogEvents.AuthLockoutsNotLogged);
        Assert.That(notLogged.Message, Does.StartWith("Basic auth: 20 more lockouts"));
    }

    private AuthFailureLimiter Limiter(Func<ProxyOptions, ProxyOptions>? configure = null) =>
        new((configure ?? (o => o))(new ProxyOptions { TimeProvider = _time }), _log);

    private static void Fail(AuthFailureLimiter limiter, IPAddress client, string deployment, int times)
    {
        for (var i = 0; i < times; i++)
        {
            limiter.RecordFailure(client, deployment);
        }
    }
}
