using GradientNode.Core.Datasets;
using NUnit.Framework;

namespace GradientNode.Tests.Datasets;

[TestFixture]
[Category("Unit")]
internal sealed class DatasetReferenceTests
{
    [TestCase("images", "images", null)]
    [TestCase("images:abc1234", "images", "abc1234")]
    [TestCase("test-two:latest", "test-two", "latest")]
    public void Parse_GradientForms_NameAndSelector(string text, string name, string? selector) =>
        Assert.That(DatasetReference.Parse(text), Is.EqualTo(new DatasetReference(name, selector)));

    [TestCase("", "is not a valid dataset name")]
    [TestCase("../x", "is not a valid dataset name")]
    [TestCase("ok:", "after ':' comes a version id or a tag")]
    [TestCase("ok:a/b", "after ':' comes a version id or a tag")]
    public void Parse_Bad_InvalidNamingTheReference(string text, string message) =>
        Assert.That(() => DatasetReference.Parse(text), Throws.TypeOf<DatasetException>().With.Message.Contains(message).And.Property("Error").EqualTo(DatasetError.Invalid));

    [Test]
    public void FromKey_SameKey_SameSevenCharacterId()
    {
        var key = new string('a', 64);

        Assert.That(DatasetVersionIds.FromKey(key), Is.EqualTo(DatasetVersionIds.FromKey(key)).And.Match("^[a-z][a-z0-9]{6}$"));
        Assert.That(DatasetVersionIds.FromKey(key), Is.Not.EqualTo(DatasetVersionIds.FromKey(new string('b', 64))));
    }
}
