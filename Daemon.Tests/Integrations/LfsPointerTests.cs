using System.Text;
using GradientNode.Core.Integrations;
using NUnit.Framework;

namespace GradientNode.Tests.Integrations;

[TestFixture]
[Category("Unit")]
internal sealed class LfsPointerTests
{
    private const string Oid = "4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393";

    [Test]
    public void Parse_PointerAsGitLfsWritesIt_OidAndSize()
    {
        var pointer = LfsPointer.Parse(Encoding.UTF8.GetBytes($"version https://git-lfs.github.com/spec/v1\noid sha256:{Oid}\nsize 12345\n"));

        Assert.That(pointer, Is.EqualTo(new LfsPointer(Oid, 12345)));
    }

    [TestCase("version https://git-lfs.github.com/spec/v1\noid sha256:{0}\nsize 12345")]
    [TestCase("version https://git-lfs.github.com/spec/v1\noid sha256:{0}\n")]
    [TestCase("version https://git-lfs.github.com/spec/v1\nsize 1\n")]
    [TestCase("version https://example.com/spec/v9\noid sha256:{0}\nsize 1\n")]
    [TestCase("version https://git-lfs.github.com/spec/v1\noid sha1:{0}\nsize 1\n")]
    [TestCase("version https://git-lfs.github.com/spec/v1\noid sha256:{0}\nsize -1\n")]
    [TestCase("version https://git-lfs.github.com/spec/v1\noid sha256:{0}\nsize 1\nfoo bar\n")]
    [TestCase("# a readme\nthat mentions version https://git-lfs.github.com/spec/v1\n")]
    public void Parse_NotAPointer_Null(string format)
    {
        Assert.That(LfsPointer.Parse(Encoding.UTF8.GetBytes(string.Format(System.Globalization.CultureInfo.InvariantCulture, format, Oid))), Is.Null);
    }

    [Test]
    public void Parse_LargerThan1024Bytes_Null()
    {
        var text = $"version https://git-lfs.github.com/spec/v1\next-0-x {new string('a', 1024)}\noid sha256:{Oid}\nsize 1\n";

        Assert.That(LfsPointer.Parse(Encoding.UTF8.GetBytes(text)), Is.Null);
    }
}
