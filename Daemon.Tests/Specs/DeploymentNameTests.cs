using GradientNode.Core.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Specs;

[TestFixture]
[Category("Unit")]
internal sealed class DeploymentNameTests
{
    [TestCase("hello", "hello")]
    [TestCase("my cool deployment", "my-cool-deployment")]
    [TestCase("  My Cool  Deployment!  ", "my-cool-deployment")]
    [TestCase("a_b.c", "a-b-c")]
    [TestCase("--x--", "x")]
    [TestCase("Llama 3 (70B)", "llama-3-70b")]
    [TestCase("Café Crème", "cafe-creme")]
    [TestCase("Straße 5", "strasse-5")]
    [TestCase("Ærø ÉTÉ", "aero-ete")]
    [TestCase("Łódź niño", "lodz-nino")]
    [TestCase("résumé 日本語 bot", "resume-bot")]
    public void ToSlug_Name_IsDnsLabel(string name, string expected) =>
        Assert.That(DeploymentName.ToSlug(name), Is.EqualTo(expected));

    [Test]
    public void ToSlug_LongName_IsTruncatedTo63WithoutTrailingDash()
    {
        var slug = DeploymentName.ToSlug(new string('a', 62) + " bcd");
        Assert.That(slug, Has.Length.LessThanOrEqualTo(63));
        Assert.That(slug, Does.Not.EndWith("-"));
    }

    [TestCase("")]
    [TestCase("   ")]
    [TestCase("!!!")]
    [TestCase("tab\there")]
    public void Validate_BadName_ReturnsReason(string name) =>
        Assert.That(DeploymentName.Validate(name), Is.Not.Null);

    [Test]
    public void Validate_NameWithoutLatinLetterOrDigit_SaysTheSlugKeepsOnlyThose() =>
        Assert.That(DeploymentName.Validate("日本語"), Does.Contain("at least one Latin letter or digit (a-z, 0-9; accents are dropped, é → e)"));

    [Test]
    public void Validate_AccentedLatinName_IsAccepted() =>
        Assert.That(DeploymentName.Validate("été"), Is.Null);

    [Test]
    public void Validate_NameWithSpaces_IsAccepted() =>
        Assert.That(DeploymentName.Validate("my cool deployment"), Is.Null);

    [Test]
    public void FromFile_Path_IsStem() =>
        Assert.That(DeploymentName.FromFile("/etc/gradient/specs/legacy-app.yaml"), Is.EqualTo("legacy-app"));
}
