using GradientNode.Core.Specs.Parsing;
using NUnit.Framework;

namespace GradientNode.Tests.Specs.Parsing;

[TestFixture]
[Category("Unit")]
internal sealed class PathRulesTests
{
    [TestCase("data")]
    [TestCase("my model.v2")]
    public void CheckSegment_PlainName_Null(string name) => Assert.That(PathRules.CheckSegment(name), Is.Null);

    [TestCase("v\n")]
    [TestCase("a\tb")]
    [TestCase("v\0x")]
    [TestCase("a/b")]
    [TestCase("..")]
    [TestCase("")]
    public void CheckSegment_SlashDotsOrControlCharacter_SaysWhyWithoutEchoingTheControlCharacter(string name)
    {
        var problem = PathRules.CheckSegment(name);

        Assert.That(problem, Does.Contain("single path segment"));
        Assert.That(problem!.Any(char.IsControl), Is.False);
    }

    [TestCase("/opt/data")]
    [TestCase("/opt/data/")]
    public void Check_AbsolutePath_Null(string path) => Assert.That(PathRules.Check(path), Is.Null);

    [TestCase("/opt/x\n", "control characters")]
    [TestCase("/opt/\tx", "control characters")]
    [TestCase("/opt/../etc", "'..'")]
    [TestCase("opt", "absolute")]
    [TestCase("//", "root")]
    public void Check_BadPath_SaysWhy(string path, string expected) => Assert.That(PathRules.Check(path), Does.Contain(expected));
}
