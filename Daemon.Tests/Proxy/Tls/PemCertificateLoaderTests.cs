using GradientNode.Proxy.Tls;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Proxy.Tls;

[TestFixture]
[Category("Unit")]
internal sealed class PemCertificateLoaderTests
{
    private TestCertificates _ca = null!;
    private string _dir = null!;

    [SetUp]
    public void SetUp()
    {
        _ca = new TestCertificates();
        _dir = Directory.CreateTempSubdirectory("gn-pem-").FullName;
    }

    [TearDown]
    public void TearDown()
    {
        _ca.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Test]
    public void Load_MatchingPair_HasKeyAndNames()
    {
        var (cert, key) = _ca.Write(_dir, "wild", "*.example.com", "example.com");

        var loaded = PemCertificateLoader.Load(cert, key);

        Assert.That(loaded.Certificate.HasPrivateKey, Is.True);
        Assert.That(loaded.DnsNames, Is.EqualTo(new[] { "*.example.com", "example.com" }));
    }

    [Test]
    public void Load_KeyOfAnotherCertificate_FailsNamingKeyFile()
    {
        var (cert, _) = _ca.Write(_dir, "a", "a.example.com");
        var (_, otherKey) = _ca.Write(_dir, "b", "b.example.com");

        var error = Assert.Throws<CertificateLoadException>(() => PemCertificateLoader.Load(cert, otherKey))!;

        Assert.That(error.FilePath, Is.EqualTo(otherKey));
        Assert.That(error.Message, Does.StartWith(otherKey + ": ").And.Contain("does not match"));
    }

    [Test]
    public void Load_CertificateFileWithoutCertificate_FailsNamingIt()
    {
        var (cert, key) = _ca.Write(_dir, "a", "a.example.com");
        File.WriteAllText(cert, "not a certificate\n");

        var error = Assert.Throws<CertificateLoadException>(() => PemCertificateLoader.Load(cert, key))!;

        Assert.That(error.Message, Does.StartWith(cert + ": ").And.Contain("no certificate"));
    }

    [Test]
    public void Load_MissingKeyFile_FailsNamingIt()
    {
        var (cert, key) = _ca.Write(_dir, "a", "a.example.com");
        File.Delete(key);

        Assert.That(() => PemCertificateLoader.Load(cert, key), Throws.TypeOf<CertificateLoadException>().With.Message.EqualTo(key + ": file not found"));
    }

    [Test]
    public void Load_CertificatePathIsAFolder_FailsSayingSoAndPointingAtTlsDir()
    {
        var (_, key) = _ca.Write(_dir, "a", "a.example.com");

        Assert.That(() => PemCertificateLoader.Load(_dir, key), Throws.TypeOf<CertificateLoadException>()
            .With.Message.EqualTo(_dir + ": a folder, not a PEM file (a folder of per-host certificates is --tls-dir)"));
    }

    [TestCase("")]
    [TestCase("-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEH\n")]
    public void Load_EmptyOrTruncatedKey_SaysWhatWasExpectedWithoutDotNetText(string text)
    {
        var (cert, key) = _ca.Write(_dir, "a", "a.example.com");
        File.WriteAllText(key, text);

        Assert.That(() => PemCertificateLoader.Load(cert, key), Throws.TypeOf<CertificateLoadException>().With.Message.EqualTo(
            key + ": no usable ECDSA private key in it (expected -----BEGIN PRIVATE KEY----- or -----BEGIN EC PRIVATE KEY-----, whole; an encrypted key is not supported)"));
    }

    [TestCase("pkcs8")]
    [TestCase("pkcs1")]
    public void Load_RsaKeyForAnEcdsaCertificate_FailsAsAMismatchNotAsAnUnreadableKey(string form)
    {
        var (cert, key) = _ca.Write(_dir, "a", "a.example.com");
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        File.WriteAllText(key, form == "pkcs8" ? rsa.ExportPkcs8PrivateKeyPem() : rsa.ExportRSAPrivateKeyPem());

        Assert.That(() => PemCertificateLoader.Load(cert, key), Throws.TypeOf<CertificateLoadException>()
            .With.Message.EqualTo(key + ": the private key does not match the certificate (an RSA key for an ECDSA certificate)"));
    }

    [Test]
    public void LoadCombined_CertificateAndKeyInOneFile_Loads()
    {
        var (cert, key) = _ca.Issue("combined.example.com");
        var path = Path.Combine(_dir, "combined.pem");
        File.WriteAllText(path, cert + "\n" + key + "\n");

        Assert.That(PemCertificateLoader.LoadCombined(path).DnsNames, Is.EqualTo(new[] { "combined.example.com" }));
    }

    [Test]
    public void Load_IssuerBeforeTheLeafInTheFile_SaysTheKeyMatchesTheSecondAndTheLeafGoesFirst()
    {
        var (cert, key) = _ca.Write(_dir, "wild", "*.example.com");
        // `cat ca.crt server.crt > bundle.crt`: the issuer first.
        File.WriteAllText(cert, _ca.Authority.ExportCertificatePem() + "\n" + File.ReadAllText(cert));

        var error = Assert.Throws<CertificateLoadException>(() => PemCertificateLoader.Load(cert, key));

        // Before: "wild.key: the private key does not match the certificate", which sent people looking for another key.
        Assert.That(error!.FilePath, Is.EqualTo(cert));
        Assert.That(error.Message, Does.Contain("matches certificate 2 of this file, not the first").And.Contain("must come first"));
    }

    [Test]
    public void Load_KeyMatchesNoCertificateOfAChain_StillSaysTheKeyDoesNotMatch()
    {
        var (cert, _) = _ca.Write(_dir, "wild", "*.example.com");
        var (_, otherKey) = _ca.Write(_dir, "other", "other.example.com");
        File.AppendAllText(cert, "\n" + _ca.Authority.ExportCertificatePem());

        var error = Assert.Throws<CertificateLoadException>(() => PemCertificateLoader.Load(cert, otherKey));

        Assert.That(error!.Message, Is.EqualTo($"{otherKey}: the private key does not match the certificate"));
    }

    [Test]
    public void Load_ChainJoinedWithoutALineBreak_SaysWhichLineJoinsTwoBlocks()
    {
        var (cert, key) = _ca.Write(_dir, "wild", "*.example.com");
        // `cat server.crt ca.crt` of a server.crt without a final newline.
        var leaf = File.ReadAllText(cert).TrimEnd('\n');
        File.WriteAllText(cert, leaf + _ca.Authority.ExportCertificatePem() + "\n");
        var line = leaf.Count(c => c == '\n') + 1;

        var error = Assert.Throws<CertificateLoadException>(() => PemCertificateLoader.Load(cert, key));

        // Before: "no certificate in it (expected -----BEGIN CERTIFICATE-----)", of a file that held two.
        Assert.That(error!.Message, Does.StartWith($"{cert}: line {line} joins the end of one PEM block and the start of the next").And.Contain("put a line break between them"));
    }

    [Test]
    public void LoadCombined_KeyJoinedToTheCertificateWithoutALineBreak_SaysWhichLineJoinsThem()
    {
        var (cert, key) = _ca.Issue("combined.example.com");
        var path = Path.Combine(_dir, "combined.pem");
        File.WriteAllText(path, cert.TrimEnd('\n') + "\n" + _ca.Authority.ExportCertificatePem().TrimEnd('\n') + key + "\n");

        var error = Assert.Throws<CertificateLoadException>(() => PemCertificateLoader.LoadCombined(path));

        Assert.That(error!.Message, Does.Contain("joins the end of one PEM block and the start of the next"));
    }
    [Test]
    public async Task Load_KeyFileIsAFifo_FailsNamingItWithoutWaitingForAWriter()
    {
        var (cert, key) = _ca.Write(_dir, "a", "a.example.com");
        File.Delete(key);
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", key))
        {
            await mkfifo.WaitForExitAsync();
        }

        // Opening a fifo for reading waits for a writer: before, the load (and the reload lock with it) waited for good.
        var load = Task.Run(() => PemCertificateLoader.Load(cert, key));
        var finished = await TestTimeouts.CompletesWithinAsync(load, TestTimeouts.Short);
        if (!finished)
        {
            // Release the blocked open (a writer arrives) so that the test run itself does not hang.
            await using var writer = new FileStream(key, FileMode.Open, FileAccess.Write);
        }

        Assert.That(finished, Is.True, "a fifo in place of a key file must not block the load");
        var error = Assert.ThrowsAsync<CertificateLoadException>(async () => await load)!;
        Assert.That(error.Message, Does.StartWith(key + ": ").And.Contain("not a regular file"));
    }

    [Test]
    public void LoadCombined_LinkToADevice_FailsNamingItWithoutReadingIt()
    {
        var pem = Path.Combine(_dir, "zero.pem");
        File.CreateSymbolicLink(pem, "/dev/zero");

        var error = Assert.Throws<CertificateLoadException>(() => PemCertificateLoader.LoadCombined(pem))!;

        Assert.That(error.Message, Does.StartWith(pem + ": ").And.Contain("not a regular file"));
    }

    [Test]
    public void LoadCombined_FileWhoseSizeReadsZeroButHoldsMegabytes_RefusedPastTheLimitWithoutReadingItAll()
    {
        // /proc/kallsyms is a regular file of size 0 by stat that holds megabytes: the size check alone let it be read whole.
        Assume.That(new FileInfo("/proc/kallsyms") is { Exists: true, Length: 0 }, "needs /proc/kallsyms");
        var pem = Path.Combine(_dir, "proc.pem");
        File.CreateSymbolicLink(pem, "/proc/kallsyms");

        var error = Assert.Throws<CertificateLoadException>(() => PemCertificateLoader.LoadCombined(pem))!;

        Assert.That(error.Message, Does.StartWith(pem + ": ").And.Contain($"larger than {PemCertificateLoader.MaxFileBytes} bytes"));
    }
}
