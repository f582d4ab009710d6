using System.Security.Cryptography.X509Certificates;
using GradientNode.Proxy.Tls;
using NUnit.Framework;

namespace GradientNode.Tests.Proxy.Tls;

[TestFixture]
[Category("Unit")]
internal sealed class NodeCertificateAuthorityTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private string _state = null!;

    [SetUp]
    public void SetUp() => _state = Directory.CreateTempSubdirectory("gn-ca-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_state, recursive: true);

    private NodeCertificateAuthority Authority(TimeProvider time) => new(NodeCertificateAuthority.DirectoryUnder(_state), time);

    [Test]
    public void EnsureLeaf_FirstStart_CreatesCaWithOwnerOnlyKeyAndWildcardChainingToIt()
    {
        var time = new FakeTimeProvider(Start);

        var leaf = Authority(time).EnsureLeaf("gpu1.example.com", out var issued);

        var dir = NodeCertificateAuthority.DirectoryUnder(_state);
        var caPem = NodeCertificateAuthority.ReadCertificatePem(_state);
        Assert.That(caPem, Is.Not.Null);
        using var ca = X509Certificate2.CreateFromPem(caPem!);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = Start.UtcDateTime.AddDays(1);
        Assert.Multiple(() =>
        {
            Assert.That(issued, Is.True);
            Assert.That(leaf.DnsNames, Is.EquivalentTo(new[] { "*.gpu1.example.com", "gpu1.example.com" }));
            Assert.That(File.GetUnixFileMode(Path.Combine(dir, "ca.key")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.That(File.GetUnixFileMode(Path.Combine(dir, "node.key")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.That(caPem, Does.Not.Contain("PRIVATE KEY"));
            Assert.That(chain.Build(leaf.Certificate), Is.True, string.Join(", ", chain.ChainStatus.Select(s => s.StatusInformation)));
            Assert.That(leaf.NotAfter, Is.EqualTo(Start + NodeCertificateAuthority.LeafLifetime).Within(TimeSpan.FromSeconds(1)));
        });
    }

    [Test]
    public void EnsureLeaf_FirstStart_EveryPemFileEndsWithANewline()
    {
        // cat ca.crt other.crt > bundle.pem: without it the next BEGIN line joins ca.crt's END line and OpenSSL reads neither.
        Authority(new FakeTimeProvider(Start)).EnsureLeaf("gpu1.example.com", out _);

        var dir = NodeCertificateAuthority.DirectoryUnder(_state);
        Assert.Multiple(() =>
        {
            foreach (var name in new[] { "ca.crt", "ca.key", "node.crt", "node.key" })
            {
                Assert.That(File.ReadAllText(Path.Combine(dir, name)), Does.EndWith("-----\n"), name);
            }
        });
    }

    [Test]
    public void ReadCertificatePem_CaFileOfAnEarlierVersionWithoutFinalNewline_IsPrintedWithOne()
    {
        Authority(new FakeTimeProvider(Start)).EnsureLeaf("gpu1.example.com", out _);
        var path = Path.Combine(NodeCertificateAuthority.DirectoryUnder(_state), "ca.crt");
        File.WriteAllText(path, File.ReadAllText(path).TrimEnd('\n'));

        Assert.That(NodeCertificateAuthority.ReadCertificatePem(_state), Does.EndWith("-----END CERTIFICATE-----\n"));
    }

    [Test]
    public void EnsureLeaf_SecondStart_ReusesCaAndCertificate()
    {
        var time = new FakeTimeProvider(Start);
        var first = Authority(time).EnsureLeaf("example.com", out _);
        var caBefore = NodeCertificateAuthority.ReadCertificatePem(_state);
        time.Advance(TimeSpan.FromDays(10));

        var second = Authority(time).EnsureLeaf("example.com", out var issued);

        Assert.Multiple(() =>
        {
            Assert.That(issued, Is.False);
            Assert.That(second.Certificate.Thumbprint, Is.EqualTo(first.Certificate.Thumbprint));
            Assert.That(NodeCertificateAuthority.ReadCertificatePem(_state), Is.EqualTo(caBefore));
        });
    }

    [Test]
    public void EnsureLeaf_WithinRenewalWindow_IssuesNewCertificateFromSameCa()
    {
        var time = new FakeTimeProvider(Start);
        var first = Authority(time).EnsureLeaf("example.com", out _);
        var caBefore = NodeCertificateAuthority.ReadCertificatePem(_state);
        time.Advance(NodeCertificateAuthority.LeafLifetime - NodeCertificateAuthority.RenewBefore + TimeSpan.FromMinutes(1));

        var renewed = Authority(time).EnsureLeaf("example.com", out var issued);

        Assert.Multiple(() =>
        {
            Assert.That(issued, Is.True);
            Assert.That(renewed.Certificate.Thumbprint, Is.Not.EqualTo(first.Certificate.Thumbprint));
            Assert.That(renewed.NotAfter, Is.GreaterThan(first.NotAfter));
            Assert.That(NodeCertificateAuthority.ReadCertificatePem(_state), Is.EqualTo(caBefore));
        });
    }

    [Test]
    public void EnsureLeaf_CaRenewedWhileTheLeafIsNotDue_IssuesALeafOfTheNewCa()
    {
        // faults15: a renewed CA keeps the old one's subject, and the leaf of the old CA was kept (its issuer name
        // matched) until it was itself due: a client that trusts only the new CA failed for up to LeafLifetime.
        var time = new FakeTimeProvider(Start);
        Authority(time).EnsureLeaf("example.com", out _);
        var caDue = NodeCertificateAuthority.AuthorityLifetime - NodeCertificateAuthority.LeafLifetime;
        time.Advance(caDue - TimeSpan.FromDays(2));
        var lastOfTheOldCa = Authority(time).EnsureLeaf("example.com", out _);
        var oldCa = NodeCertificateAuthority.ReadCertificatePem(_state);
        time.Advance(TimeSpan.FromDays(3));

        var leaf = Authority(time).EnsureLeaf("example.com", out var issued);

        var newCa = NodeCertificateAuthority.ReadCertificatePem(_state);
        using var ca = X509Certificate2.CreateFromPem(newCa!);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = time.GetUtcNow().UtcDateTime;
        Assert.Multiple(() =>
        {
            Assert.That(newCa, Is.Not.EqualTo(oldCa), "the CA was due and renewed");
            Assert.That(lastOfTheOldCa.DueAt(time.GetUtcNow()), Is.False, "the old CA's leaf was not due itself");
            Assert.That(issued, Is.True);
            Assert.That(chain.Build(leaf.Certificate), Is.True, string.Join(", ", chain.ChainStatus.Select(s => s.StatusInformation)));
        });
    }

    [Test]
    public void EnsureLeaf_DomainChanged_IssuesForNewDomain()
    {
        var time = new FakeTimeProvider(Start);
        Authority(time).EnsureLeaf("old.example.com", out _);

        var leaf = Authority(time).EnsureLeaf("new.example.com", out var issued);

        Assert.That(issued, Is.True);
        Assert.That(leaf.DnsNames, Does.Contain("*.new.example.com"));
    }

    [Test]
    public void ReadCertificatePem_NoCaYet_ReturnsNull() =>
        Assert.That(NodeCertificateAuthority.ReadCertificatePem(_state), Is.Null);

    [Test]
    public void EnsureLeaf_RenewedWhileTheClockWasDaysAheadThenStepsBack_IssuedAnewOnceNotAtEveryCheck()
    {
        Authority(new FakeTimeProvider(Start)).EnsureLeaf("example.com", out _);
        var ahead = new FakeTimeProvider(Start + NodeCertificateAuthority.LeafLifetime - NodeCertificateAuthority.RenewBefore + TimeSpan.FromDays(3));
        Authority(ahead).EnsureLeaf("example.com", out var renewedAhead);

        // The clock is put right: 3 days before the leaf renewed "ahead" starts.
        var right = new FakeTimeProvider(ahead.GetUtcNow() - TimeSpan.FromDays(3));
        var leaf = Authority(right).EnsureLeaf("example.com", out var issued);
        right.Advance(TimeSpan.FromHours(1));
        Authority(right).EnsureLeaf("example.com", out var issuedAgain);

        Assert.Multiple(() =>
        {
            Assert.That(renewedAhead, Is.True);
            Assert.That(issued, Is.True, "a leaf not valid yet is issued anew (before: served, and refused by every client for 3 days)");
            Assert.That(new DateTimeOffset(leaf.Certificate.NotBefore.ToUniversalTime()), Is.LessThanOrEqualTo(right.GetUtcNow() - TimeSpan.FromHours(1)));
            Assert.That(issuedAgain, Is.False, "once, not at every check");
        });
    }
}
