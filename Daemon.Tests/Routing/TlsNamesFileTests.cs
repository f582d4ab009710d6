using GradientNode.Core.Routing;
using NUnit.Framework;

namespace GradientNode.Tests.Routing;

[TestFixture]
[Category("Unit")]
internal sealed class TlsNamesFileTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("gn-tls-names-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [TestCase(true)]
    [TestCase(false)]
    public void Write_ThenRead_SameNamesAndRest(bool nodeAuthority)
    {
        TlsNamesFile.Write(_dir, new TlsNames(["app02.localhost", "*.example.com"], nodeAuthority));

        var read = TlsNamesFile.Read(_dir);

        Assert.Multiple(() =>
        {
            Assert.That(read?.Given, Is.EqualTo(new[] { "app02.localhost", "*.example.com" }));
            Assert.That(read?.NodeAuthorityServesTheRest, Is.EqualTo(nodeAuthority));
            Assert.That(File.GetUnixFileMode(TlsNamesFile.PathIn(_dir)), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        });
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("something else\nname a.localhost\n")]
    public void Read_MissingOrNotOne_NullSoNothingIsWarned(string? text)
    {
        if (text is not null)
        {
            File.WriteAllText(TlsNamesFile.PathIn(_dir), text);
        }

        Assert.That(TlsNamesFile.Read(_dir), Is.Null);
    }

    [Test]
    public void Delete_Twice_NeverThrows()
    {
        TlsNamesFile.Write(_dir, new TlsNames([], true));

        TlsNamesFile.Delete(_dir);
        TlsNamesFile.Delete(_dir);

        Assert.That(File.Exists(TlsNamesFile.PathIn(_dir)), Is.False);
    }

    [Test]
    public void Write_ThenRead_RenewalNotWrittenKeptOnOneLine()
    {
        TlsNamesFile.Write(_dir, new TlsNames(["*.example.com"], true) { RenewalNotWritten = "https: cannot be written\n(ENOSPC)" });

        var read = TlsNamesFile.Read(_dir)!;

        Assert.Multiple(() =>
        {
            Assert.That(read.RenewalNotWritten, Is.EqualTo("https: cannot be written (ENOSPC)"));
            Assert.That(read.Given, Is.EqualTo(new[] { "*.example.com" }));
            Assert.That(read.NodeAuthorityServesTheRest, Is.True);
            Assert.That(new TlsNames(["x"], true).RenewalNotWritten, Is.Null, "none unless said");
        });
    }

    [Test]
    public void Write_ThenRead_RejectedKeptOnOneLineBesideTheRenewal()
    {
        TlsNamesFile.Write(_dir, new TlsNames(["*.example.com"], false) { RenewalNotWritten = "https: renewal", Rejected = "https: rejected\n/etc/tls/a.key" });

        var read = TlsNamesFile.Read(_dir)!;

        Assert.Multiple(() =>
        {
            Assert.That(read.Rejected, Is.EqualTo("https: rejected /etc/tls/a.key"));
            Assert.That(read.RenewalNotWritten, Is.EqualTo("https: renewal"));
            Assert.That(new TlsNames(["x"], true).Rejected, Is.Null, "none unless said");
        });
    }
}
