using GradientNode.Core.Common;
using NUnit.Framework;

namespace GradientNode.Tests.Common;

[TestFixture]
[Category("Unit")]
internal sealed class ImageReferenceTests
{
    private const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [TestCase("nginx", null, "nginx", "latest", false)]
    [TestCase("nginx:1.25", null, "nginx", "1.25", true)]
    [TestCase("paperspace/gradient-sdk:latest", null, "paperspace/gradient-sdk", "latest", true)]
    [TestCase("registry:5000/ns/repo:tag", "registry:5000", "ns/repo", "tag", true)]
    [TestCase("registry:5000/repo", "registry:5000", "repo", "latest", false)]
    [TestCase("localhost/repo:1", "localhost", "repo", "1", true)]
    [TestCase("ghcr.io/org/team/app:v2.0_rc-1", "ghcr.io", "org/team/app", "v2.0_rc-1", true)]
    [TestCase("127.0.0.1:1/nope:1", "127.0.0.1:1", "nope", "1", true)]
    [TestCase("docker.io/library/nginx:1", null, "library/nginx", "1", true)]
    [TestCase("gradient-test/web:1", null, "gradient-test/web", "1", true)]
    public void Parse_Reference_SplitsParts(string text, string? registry, string repository, string tag, bool explicitTag)
    {
        var reference = ImageReference.Parse(text);

        Assert.Multiple(() =>
        {
            Assert.That(reference.Registry, Is.EqualTo(registry));
            Assert.That(reference.Repository, Is.EqualTo(repository));
            Assert.That(reference.Tag, Is.EqualTo(tag));
            Assert.That(reference.HasExplicitTag, Is.EqualTo(explicitTag));
            Assert.That(reference.Digest, Is.Null);
        });
    }

    [Test]
    public void Parse_RegistryPortTagAndDigest_KeepsAllParts()
    {
        var reference = ImageReference.Parse($"registry:5000/ns/repo:tag@{Digest}");

        Assert.Multiple(() =>
        {
            Assert.That(reference.Registry, Is.EqualTo("registry:5000"));
            Assert.That(reference.Repository, Is.EqualTo("ns/repo"));
            Assert.That(reference.Tag, Is.EqualTo("tag"));
            Assert.That(reference.Digest, Is.EqualTo(Digest));
            Assert.That(reference.TagOrDigest, Is.EqualTo(Digest));
            Assert.That(reference.Name, Is.EqualTo("registry:5000/ns/repo"));
            Assert.That(reference.ToString(), Is.EqualTo($"registry:5000/ns/repo:tag@{Digest}"));
        });
    }

    [Test]
    public void Parse_DigestWithoutTag_DefaultsTagAndPullsByDigest()
    {
        var reference = ImageReference.Parse($"repo@{Digest}");

        Assert.Multiple(() =>
        {
            Assert.That(reference.Tag, Is.EqualTo("latest"));
            Assert.That(reference.HasExplicitTag, Is.False);
            Assert.That(reference.TagOrDigest, Is.EqualTo(Digest));
            Assert.That(reference.ToString(), Is.EqualTo($"repo@{Digest}"));
        });
    }

    [Test]
    public void Parse_RegistryPortWithoutTag_DoesNotTakePortForTag()
    {
        var reference = ImageReference.Parse("host:5000/repo");

        Assert.Multiple(() =>
        {
            Assert.That(reference.Registry, Is.EqualTo("host:5000"));
            Assert.That(reference.Tag, Is.EqualTo("latest"));
        });
    }

    [Test]
    public void Name_DockerHub_HasNoRegistryPrefix() =>
        Assert.That(ImageReference.Parse("nginx:1").Name, Is.EqualTo("nginx"));

    [TestCase("")]
    [TestCase("   ")]
    [TestCase("Nginx")]
    [TestCase("nginx:")]
    [TestCase("nginx:bad tag")]
    [TestCase("repo@sha256:short")]
    [TestCase("repo@notadigest")]
    [TestCase("/repo")]
    [TestCase("repo//x")]
    [TestCase("registry:5000/")]
    public void TryParse_Invalid_ReturnsFalseWithReason(string text)
    {
        var ok = ImageReference.TryParse(text, out var parsed, out var error);

        Assert.Multiple(() =>
        {
            Assert.That(ok, Is.False);
            Assert.That(parsed, Is.Null);
            Assert.That(error, Is.Not.Empty);
        });
    }

    [Test]
    public void Parse_Invalid_ThrowsFormatException() =>
        Assert.That(() => ImageReference.Parse("UPPER/case"), Throws.InstanceOf<FormatException>());
}
