using GradientNode.Proxy.Tls;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace GradientNode.Tests.Proxy.Tls;

/// <summary>The node CA's renewal on a state directory that is full or read-only (a real small tmpfs).</summary>
internal sealed partial class CertificateProviderTests
{
    private static readonly DateTimeOffset DiskStart = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Test]
    public void RenewalTimer_StateDirFull_OldPairKeepsServingWarnedOnceNotAtEachCheckRenewedWhenSpaceReturns()
    {
        using var disk = FullTmpfs.Mount();
        var time = new FakeTimeProvider(DiskStart);
        var logger = new CollectingLogger<CertificateProvider>();
        var tls = Path.Combine(disk.Path, "tls");
        var run = Path.Combine(_dir, "run"); // the run dir is not the state dir
        using var provider = new CertificateProvider(new ProxyTlsOptions { AuthorityDirectory = tls, RenewalCheckInterval = TimeSpan.FromDays(1) }, "example.com", time, logger, runDir: run);
        provider.Start();
        var first = provider.Current.Fallback!;
        disk.Fill();

        time.Advance(NodeCertificateAuthority.LeafLifetime - NodeCertificateAuthority.RenewBefore + TimeSpan.FromHours(1)); // due: the check fails
        time.Advance(TimeSpan.FromDays(1)); // the next check fails the same way: before, an error (6002) at each check
        var servedWhileFull = provider.Current.Fallback!;
        var onDisk = PemCertificateLoader.Load(Path.Combine(tls, "node.crt"), Path.Combine(tls, "node.key"));
        var warnings = logger.Events.Where(e => e.Level >= LogLevel.Warning).ToList();
        var nodeWarningWhileFull = GradientNode.Core.Routing.TlsNamesFile.Read(run)?.RenewalNotWritten;
        File.Delete(Path.Combine(disk.Path, "filler"));
        time.Advance(TimeSpan.FromDays(1)); // the next check renews by itself

        Assert.Multiple(() =>
        {
            Assert.That(servedWhileFull.Certificate.Thumbprint, Is.EqualTo(first.Certificate.Thumbprint));
            Assert.That(onDisk.Certificate.Thumbprint, Is.EqualTo(first.Certificate.Thumbprint), "the old pair, whole");
            Assert.That(warnings.Select(w => (w.Id.Id, w.Message)), Is.EqualTo(new[]
            {
                (6014, $"Node CA could not write its renewed certificate ({tls}/node.key: No space left on device, ENOSPC); the current one, valid until {first.NotAfter:u}, keeps serving, and the renewal is tried again at each check (every 1.00:00:00); logged once"),
            }));
            Assert.That(provider.Current.Fallback!.Certificate.Thumbprint, Is.Not.EqualTo(first.Certificate.Thumbprint), "renewed once the disk took it");
            Assert.That(provider.Current.Fallback!.NotAfter, Is.GreaterThan(first.NotAfter));
            Assert.That(Directory.GetFiles(tls, ".*"), Is.Empty, "no temp file left");
            Assert.That(nodeWarningWhileFull, Is.EqualTo($"https: the node CA's renewed certificate cannot be written ({tls}/node.key: No space left on device, ENOSPC); the current one, valid until {first.NotAfter.UtcDateTime:yyyy-MM-ddTHH:mm:ss}Z, keeps serving, and the renewal is tried again at each check"), "gradient-node node says it");
            Assert.That(GradientNode.Core.Routing.TlsNamesFile.Read(run)!.RenewalNotWritten, Is.Null, "and no longer once renewed");
        });
    }

    [Test]
    public void RenewalTimer_StateDirReadOnly_NothingSaidUntilDueThenOneWarningNamingTheErrno()
    {
        using var disk = FullTmpfs.Mount();
        var time = new FakeTimeProvider(DiskStart);
        var logger = new CollectingLogger<CertificateProvider>();
        var tls = Path.Combine(disk.Path, "tls");
        using var provider = new CertificateProvider(new ProxyTlsOptions { AuthorityDirectory = tls, RenewalCheckInterval = TimeSpan.FromDays(1) }, "example.com", time, logger);
        provider.Start();
        var first = provider.Current.Fallback!;
        disk.ReadOnly(true);
        try
        {
            time.Advance(TimeSpan.FromDays(3)); // three checks, nothing due: before, each failed at the folder's chmod (6002)
            var beforeDue = logger.Events.Count(e => e.Level >= LogLevel.Warning);
            time.Advance(NodeCertificateAuthority.LeafLifetime - NodeCertificateAuthority.RenewBefore); // due, several checks

            Assert.Multiple(() =>
            {
                Assert.That(beforeDue, Is.Zero);
                Assert.That(logger.Events.Where(e => e.Level >= LogLevel.Warning).Select(e => (e.Id.Id, e.Message)), Is.EqualTo(new[]
                {
                    (6014, $"Node CA could not write its renewed certificate ({tls}/node.key: Read-only file system, EROFS); the current one, valid until {first.NotAfter:u}, keeps serving, and the renewal is tried again at each check (every 1.00:00:00); logged once"),
                }));
                Assert.That(provider.Current.Fallback!.Certificate.Thumbprint, Is.EqualTo(first.Certificate.Thumbprint));
            });
        }
        finally
        {
            disk.ReadOnly(false);
        }
    }

    [Test]
    public void Start_StateDirFullAndTheCertificateDue_ServesTheCurrentOneAndWarns()
    {
        using var disk = FullTmpfs.Mount();
        var tls = Path.Combine(disk.Path, "tls");
        var first = new NodeCertificateAuthority(tls, new FakeTimeProvider(DiskStart)).EnsureLeaf("example.com", out _);
        disk.Fill();
        var logger = new CollectingLogger<CertificateProvider>();
        var due = new FakeTimeProvider(DiskStart + NodeCertificateAuthority.LeafLifetime - NodeCertificateAuthority.RenewBefore + TimeSpan.FromDays(1));
        using var provider = new CertificateProvider(new ProxyTlsOptions { AuthorityDirectory = tls }, "example.com", due, logger);

        provider.Start(); // before: threw, and the node did not start its https listener

        Assert.Multiple(() =>
        {
            Assert.That(provider.Current.Fallback!.Certificate.Thumbprint, Is.EqualTo(first.Certificate.Thumbprint));
            Assert.That(logger.Events.Single(e => e.Level >= LogLevel.Warning).Id.Id, Is.EqualTo(6014));
        });
    }

    [Test]
    public void RenewalTimer_StateDirFullAndTheNodeCaDue_CurrentPairKeepsServingWarnedOnceCaRenewedWhenSpaceReturns()
    {
        using var disk = FullTmpfs.Mount();
        var tls = Path.Combine(disk.Path, "tls");
        var caPath = Path.Combine(tls, NodeCertificateAuthority.CertificateFileName);
        var caDue = DiskStart + NodeCertificateAuthority.AuthorityLifetime - NodeCertificateAuthority.LeafLifetime;
        new NodeCertificateAuthority(tls, new FakeTimeProvider(DiskStart)).EnsureLeaf("example.com", out _); // the CA, made ~9.75 years before
        var recent = new NodeCertificateAuthority(tls, new FakeTimeProvider(caDue - TimeSpan.FromDays(10))).EnsureLeaf("example.com", out _); // its last leaf
        var caBefore = File.ReadAllText(caPath);
        disk.Fill();
        var logger = new CollectingLogger<CertificateProvider>();
        var time = new FakeTimeProvider(caDue + TimeSpan.FromHours(1));
        using var provider = new CertificateProvider(new ProxyTlsOptions { AuthorityDirectory = tls, RenewalCheckInterval = TimeSpan.FromDays(1) }, "example.com", time, logger);

        provider.Start(); // before (faults15): threw, the CA's own renewal not being written, and the https listener had no certificate
        time.Advance(TimeSpan.FromDays(1)); // the next check fails the same way: not said again
        var servedWhileFull = provider.Current.Fallback!;
        var caWhileFull = File.ReadAllText(caPath);
        var warnings = logger.Events.Where(e => e.Level >= LogLevel.Warning).Select(e => (e.Id.Id, e.Message)).ToList();
        File.Delete(Path.Combine(disk.Path, "filler"));
        time.Advance(TimeSpan.FromDays(1)); // the next check renews the CA by itself

        Assert.Multiple(() =>
        {
            Assert.That(servedWhileFull.Certificate.Thumbprint, Is.EqualTo(recent.Certificate.Thumbprint));
            Assert.That(caWhileFull, Is.EqualTo(caBefore), "the old CA pair, whole");
            Assert.That(warnings, Is.EqualTo(new[]
            {
                (6014, $"Node CA could not write its renewed certificate ({tls}/ca.key: No space left on device, ENOSPC); the current one, valid until {recent.NotAfter:u}, keeps serving, and the renewal is tried again at each check (every 1.00:00:00); logged once"),
            }));
            Assert.That(File.ReadAllText(caPath), Is.Not.EqualTo(caBefore), "renewed once the disk took it");
            Assert.That(Directory.GetFiles(tls, ".*"), Is.Empty, "no temp file left");
        });
    }
}
