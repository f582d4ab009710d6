using GradientNode.Core.Integrations;
using NUnit.Framework;

namespace GradientNode.Tests.Integrations;

[TestFixture]
[Category("Unit")]
internal sealed class VolumeKeysTests
{
    [Test]
    public void For_SameBlock_SameKey()
    {
        Assert.That(VolumeKeys.For(Source("secret-1")), Is.EqualTo(VolumeKeys.For(Source("secret-1"))));
    }

    [Test]
    public void For_ChangedSecret_DifferentKeyThatRevealsNothing()
    {
        var key = VolumeKeys.For(Source("secret-2"));

        Assert.That(key, Is.Not.EqualTo(VolumeKeys.For(Source("secret-1"))));
        Assert.That(key, Does.Match("^[0-9a-f]{64}$"));
        Assert.That(Source("secret-2").Canonical() + Source("secret-2"), Does.Not.Contain("secret-2"));
    }

    [Test]
    public void For_ChangedPrefix_DifferentKey()
    {
        Assert.That(VolumeKeys.For(Source("s") with { Prefix = "other/" }), Is.Not.EqualTo(VolumeKeys.For(Source("s"))));
    }

    [TestCase("s3://bucket/a/b/", "bucket", "a/b/")]
    [TestCase("s3://bucket", "bucket", "")]
    [TestCase("s3://bucket/", "bucket", "")]
    public void ParseUrl_S3Url_BucketAndPrefix(string url, string bucket, string prefix)
    {
        Assert.That(S3Source.ParseUrl(url), Is.EqualTo((bucket, prefix)));
    }

    [Test]
    public void GitSourceToString_UrlWithUserInfo_Redacted()
    {
        var text = new GitSource("https://user:hunter2@example.invalid/repo.git", null, null, "token").ToString();

        Assert.That(text, Does.Not.Contain("hunter2").And.Not.Contain("token").And.Contain("***@example.invalid"));
    }

    private static S3Source Source(string secret) => new("bucket", "models/", "us-east-1", "http://127.0.0.1:9000", "AKID", secret);
}
