using GradientNode.Core.Specs.Parsing;
using GradientNode.Core.Workflows.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Specs.Parsing;

/// <summary>The "did you mean" of an unknown key: two neighbouring letters swapped are one typo, as one wrong letter is.</summary>
[TestFixture]
[Category("Unit")]
internal sealed class KeySuggesterTests
{
    [TestCase("evn", "env")]
    [TestCase("usse", "uses")]
    [TestCase("tpye", "type")]
    [TestCase("wiht", "with")]
    [TestCase("imgae", "image")]
    [TestCase("outptus", "outputs")]
    public void Suggest_NeighbouringLettersSwapped_SuggestsTheKey(string typed, string meant) =>
        Assert.That(KeySuggester.Suggest(typed, ["env", "uses", "type", "with", "image", "outputs", "needs"]), Is.EqualTo(meant));

    [TestCase("evn", "env", 1)]
    [TestCase("ab", "ba", 1)]
    [TestCase("abc", "ca", 3)]
    [TestCase("kitten", "sitting", 3)]
    [TestCase("", "abc", 3)]
    [TestCase("same", "same", 0)]
    public void Distance_Pairs_CountsASwapAsOneEdit(string a, string b, int expected) =>
        Assert.That(KeySuggester.Distance(a, b), Is.EqualTo(expected));

    [TestCase("xyz")]
    [TestCase("timeout")]
    public void Suggest_NothingClose_SuggestsNothing(string typed) =>
        Assert.That(KeySuggester.Suggest(typed, ["env", "uses"]), Is.Null);

    [Test]
    public void Parse_WorkflowKeysWithSwappedLetters_EachErrorSaysWhichKeyWasMeant()
    {
        const string text = """
            defaults:
              evn:
                A: b
            jobs:
              prep:
                usse: container@v1
                uses: container@v1
                with:
                  image: gradient-test/bash:1
            """;

        var errors = WorkflowParser.Parse("typos.yaml", text).Errors.Select(e => e.ToString()).ToList();

        Assert.That(errors, Is.EqualTo(new[]
        {
            "typos.yaml:2:3: unknown field 'evn' in defaults; did you mean 'env'?",
            "typos.yaml:6:5: unknown field 'usse' in jobs.prep; did you mean 'uses'?",
        }));
    }
}
