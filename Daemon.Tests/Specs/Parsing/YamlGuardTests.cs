using GradientNode.Core.Specs;
using GradientNode.Core.Specs.Parsing;
using NUnit.Framework;

namespace GradientNode.Tests.Specs.Parsing;

[TestFixture]
[Category("Unit")]
internal sealed class YamlGuardTests
{
    private const string Valid = "apiVersion: v1\nname: x\nimage: y\nresources:\n  machineType: C4\n  ports: [8080]\n";

    [Test]
    public void Parse_TwoHundredThousandOpenBrackets_ReportsNestingWhereDepth65Starts()
    {
        // The root mapping is depth 1, so the 64th bracket (column 71) opens depth 65. Before the guard, YamlDotNet's recursive loader overflowed the stack here (the test host died).
        var result = SpecParser.Parse("spec.yaml", "image: " + new string('[', 200_000));

        Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[] { $"spec.yaml:1:{7 + YamlGuard.MaxDepth}: nesting deeper than {YamlGuard.MaxDepth}" }));
    }

    [Test]
    public void Parse_DeepBlockMappings_ReportsNesting()
    {
        var text = string.Concat(Enumerable.Range(0, 100).Select(i => new string(' ', i) + "a:\n"));

        var result = SpecParser.Parse("spec.yaml", text);

        Assert.That(result.Errors.Single().ToString(), Does.StartWith($"spec.yaml:{YamlGuard.MaxDepth + 1}:").And.EndWith($"nesting deeper than {YamlGuard.MaxDepth}"));
    }

    [Test]
    public void Parse_NestingAtTheLimit_IsNotALimitError()
    {
        var text = Valid + "command: " + new string('[', YamlGuard.MaxDepth - 1) + new string(']', YamlGuard.MaxDepth - 1) + "\n";

        var result = SpecParser.Parse("spec.yaml", text);

        Assert.That(result.Errors.Select(e => e.Message), Has.None.Contains("nesting"));
    }

    [Test]
    public void Parse_BillionLaughs_ReportsExpansionAtTheAlias()
    {
        var laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
        for (var c = 'b'; c <= 'i'; c++)
        {
            var previous = (char)(c - 1);
            laughs += $"{c}: &{c} [{string.Join(", ", Enumerable.Repeat($"*{previous}", 10))}]\n";
        }

        var result = SpecParser.Parse("spec.yaml", laughs);

        Assert.That(result.Errors.Single().Message, Is.EqualTo($"aliases expand the document to more than {YamlGuard.MaxExpandedNodes} nodes"));
        Assert.That(result.Errors.Single().Line, Is.InRange(5, 9));
    }

    [Test]
    public void Parse_MoreNodesThanTheLimitWithoutAnyAlias_SaysSoWithoutBlamingAliases()
    {
        // Before: a file of plain keys was told "aliases expand the document …" (found by the third adversary review).
        var keys = string.Concat(Enumerable.Range(0, (int)(YamlGuard.MaxExpandedNodes / 2) + 1).Select(i => $"k{i}: v\n"));

        var result = SpecParser.Parse("many.yaml", keys);

        Assert.That(result.Errors.Single().Message, Is.EqualTo($"the document has more than {YamlGuard.MaxExpandedNodes} nodes (values, lists and mappings; an alias counts as what it stands for)"));
    }

    [Test]
    public void Parse_AliasInsideItsOwnAnchor_IsAnError()
    {
        var result = SpecParser.Parse("spec.yaml", "image: &r [1, *r]\n");

        Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[] { "spec.yaml:1:15: alias *r refers to a node that contains it" }));
    }

    [Test]
    public void Parse_SmallAliases_StillWork()
    {
        var result = SpecParser.Parse("spec.yaml", "apiVersion: v1\nname: &n x\nimage: *n\nresources:\n  machineType: C4\n  ports: &p [8080]\n");

        Assert.That(result.Errors, Is.Empty);
        Assert.That(result.Spec!.Image, Is.EqualTo("x"));
    }

    [Test]
    public void Parse_HugeScalar_ReportsItsLength()
    {
        var result = SpecParser.Parse("spec.yaml", "image: " + new string('x', YamlGuard.MaxScalarChars + 1) + "\n");

        Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[] { $"spec.yaml:1:8: a value of {YamlGuard.MaxScalarChars + 1} characters; at most {YamlGuard.MaxScalarChars} are allowed" }));
    }

    [Test]
    public void Parse_TextOverTheSizeLimit_IsRejectedAtTheStart()
    {
        var text = Valid + "# " + new string('x', YamlGuard.MaxChars) + "\n";

        var result = SpecParser.Parse("spec.yaml", text);

        Assert.That(result.Errors.Single().ToString(), Is.EqualTo($"spec.yaml:1:1: the text is longer than {YamlGuard.MaxChars} characters, the most allowed"));
    }

    [Test]
    public void Check_ValidSpec_ReturnsNull() => Assert.That(YamlGuard.Check(Valid), Is.Null);
}
