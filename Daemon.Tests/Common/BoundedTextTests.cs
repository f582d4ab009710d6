using GradientNode.Core.Common;
using GradientNode.Core.Specs;
using GradientNode.Core.Specs.Parsing;
using NUnit.Framework;

namespace GradientNode.Tests.Common;

[TestFixture]
[Category("Unit")]
internal sealed class BoundedTextTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("gn-bounded-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public async Task ReadAsync_FileFarOverTheLimit_ReadsOneCharacterPastItAndTheParserRefusesIt()
    {
        var path = Path.Combine(_dir, "huge.yaml");
        await File.WriteAllTextAsync(path, "image: " + new string('a', 3 * YamlGuard.MaxChars));

        var text = await BoundedText.ReadAsync(path, YamlGuard.MaxChars, CancellationToken.None);
        var result = SpecParser.Parse("huge.yaml", text);

        Assert.Multiple(() =>
        {
            Assert.That(text, Has.Length.EqualTo(YamlGuard.MaxChars + 1));
            Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[] { $"huge.yaml:1:1: the text is longer than {YamlGuard.MaxChars} characters, the most allowed" }));
        });
    }

    [Test]
    public void Read_SmallFile_ReadsItWhole()
    {
        var path = Path.Combine(_dir, "small.yaml");
        File.WriteAllText(path, "\uFEFFimage: x\nname: é\n");

        Assert.That(BoundedText.Read(path, YamlGuard.MaxChars), Is.EqualTo("image: x\nname: é\n"));
    }
}
