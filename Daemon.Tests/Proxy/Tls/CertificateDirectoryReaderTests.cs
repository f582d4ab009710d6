using GradientNode.Proxy.Tls;
using NUnit.Framework;

namespace GradientNode.Tests.Proxy.Tls;

[TestFixture]
[Category("Unit")]
internal sealed class CertificateDirectoryReaderTests
{
    private TestCertificates _ca = null!;
    private string _dir = null!;

    [SetUp]
    public void SetUp()
    {
        _ca = new TestCertificates();
        _dir = Directory.CreateTempSubdirectory("gn-certdir-").FullName;
    }

    [TearDown]
    public void TearDown()
    {
        _ca.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Test]
    public void Read_MoreFilesThanTheMax_ReadsTheFirstInNameOrderAndSaysHowManyWereNot()
    {
        foreach (var name in new[] { "a", "b", "c" })
        {
            _ca.Write(_dir, name, $"{name}.example.com");
        }

        var skipped = new List<int>();

        var read = CertificateDirectoryReader.Read(_dir, [], strict: true, _ => { }, skipped: skipped.Add, max: 2);

        Assert.That(read.SelectMany(c => c.DnsNames), Is.EqualTo(new[] { "a.example.com", "b.example.com" }));
        Assert.That(skipped, Is.EqualTo(new[] { 1 }));
    }

    [Test]
    public void Read_AtTheMax_SaysNothingSkipped()
    {
        _ca.Write(_dir, "a", "a.example.com");
        var skipped = new List<int>();

        var read = CertificateDirectoryReader.Read(_dir, [], strict: true, _ => { }, skipped: skipped.Add, max: 1);

        Assert.That(read, Has.Count.EqualTo(1));
        Assert.That(skipped, Is.Empty);
    }

    [Test]
    public void Read_PathIsACertificateFile_SaysItIsAFileAndNamesTheOptionsForOnePair()
    {
        _ca.Write(_dir, "wild", "*.example.com");
        var file = Path.Combine(_dir, "wild.crt");

        var error = Assert.Throws<CertificateLoadException>(() => CertificateDirectoryReader.Read(file, [], strict: true, _ => { }));

        // Before: "folder not found", for a path that is there.
        Assert.That(error!.Message, Does.StartWith($"{file}: a file, not a folder").And.Contain("--tls-cert and --tls-key"));
    }

    [Test]
    public void Read_PathMissing_SaysFolderNotFoundNamingTheOption()
    {
        var missing = Path.Combine(_dir, "nope");

        var error = Assert.Throws<CertificateLoadException>(() => CertificateDirectoryReader.Read(missing, [], strict: true, _ => { }));

        // Before: "…/nope: folder not found", with no word of which option named it.
        Assert.That(error!.Message, Is.EqualTo($"{missing}: folder not found: --tls-dir (tlsDir) names a folder of NAME.crt + NAME.key or NAME.pem files"));
    }

    [Test]
    public void Read_DevNull_SaysItIsADeviceAndHowToServeTheNodeCaAlone()
    {
        var error = Assert.Throws<CertificateLoadException>(() => CertificateDirectoryReader.Read("/dev/null", [], strict: true, _ => { }));

        // Before: "a file, not a folder …; for one certificate and its key use --tls-cert and --tls-key": /dev/null is neither.
        Assert.That(error!.Message, Is.EqualTo("/dev/null: a character device, not a folder: --tls-dir (tlsDir) names a folder of NAME.crt + NAME.key or NAME.pem files; to serve every host from the node's own CA, leave --tls-dir out (unlike --config, --tls-dir /dev/null does not mean none)"));
    }
}
