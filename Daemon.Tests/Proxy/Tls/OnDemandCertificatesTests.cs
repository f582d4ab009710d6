using System.Security.Cryptography.X509Certificates;
using GradientNode.Proxy.Tls;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace GradientNode.Tests.Proxy.Tls;

[TestFixture]
[Category("Unit")]
internal sealed class OnDemandCertificatesTests
{
    private readonly FakeRouteTable _routes = new();
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("gn-ondemand-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private CertificateProvider Provider(string domain, TimeProvider time, ILogger<CertificateProvider>? logger = null) =>
        new(new ProxyTlsOptions { AuthorityDirectory = _dir }, domain, time, logger ?? NullLogger<CertificateProvider>.Instance, _routes.Routes);

    [Test]
    public void Select_SingleLabelDomain_IssuesExactNameSignedByNodeCa()
    {
        _routes.Add("web.localhost");
        using var provider = Provider("localhost", new FakeTimeProvider(DateTimeOffset.UtcNow));
        provider.Start();

        var served = provider.Select("web.localhost")!;

        using var ca = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(_dir, NodeCertificateAuthority.CertificateFileName));
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.Multiple(() =>
        {
            Assert.That(served.DnsNames, Is.EqualTo(new[] { "web.localhost" }));
            Assert.That(served.Certificate.HasPrivateKey, Is.True);
            Assert.That(chain.Build(served.Certificate), Is.True, string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
            Assert.That(served.Certificate.MatchesHostname("web.localhost"), Is.True);
            Assert.That(provider.Select("web.localhost"), Is.SameAs(served));
            Assert.That(Directory.GetFiles(_dir).Select(Path.GetFileName), Does.Not.Contain("web.localhost.crt"));
        });
    }

    [Test]
    public void Select_SingleLabelDomainOtherNames_ServesDefaultWithoutIssuing()
    {
        _routes.Add("a.b.localhost", "web.example.com", "we_b.localhost");
        using var provider = Provider("localhost", new FakeTimeProvider());
        provider.Start();

        var nested = provider.Select("a.b.localhost");
        var other = provider.Select("web.example.com");
        var bad = provider.Select("we_b.localhost");
        var none = provider.Select(null);

        Assert.Multiple(() =>
        {
            Assert.That(new[] { nested, other, bad, none }, Has.All.SameAs(provider.Current.Fallback));
            Assert.That(provider.OnDemand!.Count, Is.Zero);
        });
    }

    [Test]
    public void Select_TwoLabelDomain_ServesWildcardWithoutIssuing()
    {
        using var provider = Provider("node.example", new FakeTimeProvider());
        provider.Start();

        var served = provider.Select("web.node.example")!;

        Assert.Multiple(() =>
        {
            Assert.That(provider.OnDemand, Is.Null);
            Assert.That(served.DnsNames, Does.Contain("*.node.example"));
        });
    }

    [Test]
    public void Select_MoreRoutedNamesThanMaxHosts_KeepsMaxHostsDroppingTheLeastRecentlyServed()
    {
        using var provider = Provider("localhost", new FakeTimeProvider());
        provider.Start();
        _routes.Add("h0.localhost");
        var first = provider.Select("h0.localhost");

        for (var i = 1; i <= OnDemandCertificates.MaxHosts; i++)
        {
            _routes.Add($"h{i}.localhost");
            provider.Select($"h{i}.localhost");
            if (i == OnDemandCertificates.MaxHosts - 1)
            {
                provider.Select("h0.localhost"); // served again just before the cache is full: h1 is now the oldest
            }
        }

        Assert.Multiple(() =>
        {
            // Before, a full cache was emptied: one certificate left, and every routed host issued again at its next handshake.
            Assert.That(provider.OnDemand!.Count, Is.EqualTo(OnDemandCertificates.MaxHosts));
            Assert.That(provider.Select("h0.localhost"), Is.SameAs(first), "a recently served host keeps its certificate");
        });
    }

    [Test]
    public void Select_ClientCyclesThrough300RoutedNames_EachIssuedOnce()
    {
        // With more than 256 deployments, a client cycling through their names made the node issue a certificate at every
        // handshake (the cache of 256 was emptied when full): about 1.9 times a handshake's CPU (docs/benchmarks.md).
        var logger = new CollectingLogger<CertificateProvider>();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        _routes.Add([.. Enumerable.Range(0, 300).Select(i => $"h{i}.localhost")]);
        using var provider = Provider("localhost", time, logger);
        provider.Start();
        var firstRound = Enumerable.Range(0, 300).Select(i => provider.Select($"h{i}.localhost")).ToList();

        var secondRound = Enumerable.Range(0, 300).Select(i => provider.Select($"h{i}.localhost")).ToList();
        time.Advance(TimeSpan.FromMinutes(1));
        provider.Select("h0.localhost");
        _routes.Add("next.localhost");
        provider.Select("next.localhost");

        Assert.Multiple(() =>
        {
            Assert.That(Enumerable.Range(0, 300).Count(i => ReferenceEquals(secondRound[i], firstRound[i])), Is.EqualTo(300), "the second round issues nothing");
            Assert.That(logger.Events.Where(e => e.Id.Id == TlsLogEvents.OnDemandIssuedNotLogged).Select(e => e.Message), Has.One.Contains("290 more certificates"), "300 issued in all, 10 of them logged");
        });
    }

    [Test]
    public void Select_ManyRoutedNames_TenIssuancesLoggedAMinuteAndTheRestCountedInOneLine()
    {
        // 300 handshakes with new names wrote 300 journal lines (found by adversary6); now only routed names are issued,
        // and a node with many deployments still logs at most 10 issuances a minute.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var logger = new CollectingLogger<CertificateProvider>();
        _routes.Add([.. Enumerable.Range(0, 300).Select(i => $"h{i}.localhost"), "later.localhost"]);
        using var provider = Provider("localhost", time, logger);
        provider.Start();

        for (var i = 0; i < 300; i++)
        {
            provider.Select($"h{i}.localhost");
        }

        var issuedLines = logger.Events.Count(e => e.Id.Id == TlsLogEvents.OnDemandIssued);
        time.Advance(TimeSpan.FromMinutes(1));
        var later = provider.Select("later.localhost");

        Assert.Multiple(() =>
        {
            Assert.That(issuedLines, Is.EqualTo(OnDemandCertificates.LoggedPerMinute));
            Assert.That(logger.Events.Where(e => e.Id.Id == TlsLogEvents.OnDemandIssuedNotLogged).Select(e => e.Message), Has.One.Contains("290 more certificates"));
            Assert.That(logger.Events.Last(e => e.Id.Id == TlsLogEvents.OnDemandIssued).Message, Does.Contain("later.localhost"));
            Assert.That(later!.DnsNames, Is.EqualTo(new[] { "later.localhost" }), "every name is still issued; only the log is bounded");
        });
    }

    [Test]
    public void Select_IssuedCertificateDueForRenewal_ReissuesIt()
    {
        _routes.Add("web.localhost");
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var provider = Provider("localhost", time);
        provider.Start();
        var first = provider.Select("web.localhost")!;

        time.Advance(NodeCertificateAuthority.LeafLifetime - NodeCertificateAuthority.RenewBefore + TimeSpan.FromHours(1));
        var second = provider.Select("web.localhost")!;

        Assert.That(second.Certificate.Thumbprint, Is.Not.EqualTo(first.Certificate.Thumbprint));
    }

    [Test]
    public void Select_NameNoDeploymentRoutes_ServesDefaultWithoutMakingAKeyOrLogging()
    {
        // Any network client picks SNI names: every valid label was issued, a key signed per handshake.
        var logger = new CollectingLogger<CertificateProvider>();
        _routes.Add("web.localhost");
        using var provider = Provider("localhost", new FakeTimeProvider(DateTimeOffset.UtcNow), logger);
        provider.Start();

        var unknown = provider.Select("nosuch.localhost");

        Assert.Multiple(() =>
        {
            Assert.That(unknown, Is.SameAs(provider.Current.Fallback));
            Assert.That(provider.OnDemand!.Count, Is.Zero);
            Assert.That(logger.Events.Where(e => e.Id.Id is TlsLogEvents.OnDemandIssued or TlsLogEvents.OnDemandIssuedNotLogged), Is.Empty);
        });
    }

    [Test]
    public void Select_ClientCyclesThroughThousandsOfUnroutedNames_RoutedClientKeepsItsCertificate()
    {
        // Before, past 256 names the cache was emptied, so a client cycling names evicted real clients' certificates.
        _routes.Add("web.localhost");
        using var provider = Provider("localhost", new FakeTimeProvider(DateTimeOffset.UtcNow));
        provider.Start();
        var first = provider.Select("web.localhost");

        for (var i = 0; i < 4 * OnDemandCertificates.MaxHosts; i++)
        {
            provider.Select($"cycle{i}.localhost");
        }

        Assert.Multiple(() =>
        {
            Assert.That(provider.Select("web.localhost"), Is.SameAs(first));
            Assert.That(provider.OnDemand!.Count, Is.EqualTo(1));
        });
    }

    [Test]
    public void Select_DeploymentAddedAfterAnEarlierHandshake_IssuedOnceRoutedAndDefaultAgainOnceRemoved()
    {
        using var provider = Provider("localhost", new FakeTimeProvider(DateTimeOffset.UtcNow));
        provider.Start();

        var before = provider.Select("new.localhost");
        _routes.Add("new.localhost");
        var routed = provider.Select("NEW.localhost.");
        _routes.Remove("new.localhost");
        var removed = provider.Select("new.localhost");

        Assert.Multiple(() =>
        {
            Assert.That(before, Is.SameAs(provider.Current.Fallback));
            Assert.That(routed!.DnsNames, Is.EqualTo(new[] { "new.localhost" }));
            Assert.That(removed, Is.SameAs(provider.Current.Fallback));
        });
    }

    [Test]
    public void Select_CacheFullWithRemovedDeployments_DropsThoseAndKeepsTheRoutedOnes()
    {
        using var provider = Provider("localhost", new FakeTimeProvider(DateTimeOffset.UtcNow));
        provider.Start();
        _routes.Add("web.localhost");
        var web = provider.Select("web.localhost");
        for (var i = 1; i < OnDemandCertificates.MaxHosts; i++)
        {
            _routes.Add($"old{i}.localhost");
            provider.Select($"old{i}.localhost");
            _routes.Remove($"old{i}.localhost");
        }

        _routes.Add("next.localhost");
        provider.Select("next.localhost");

        Assert.Multiple(() =>
        {
            Assert.That(provider.OnDemand!.Count, Is.EqualTo(2));
            Assert.That(provider.Select("web.localhost"), Is.SameAs(web));
        });
    }
}
