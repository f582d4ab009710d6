using GradientNode.Core.Specs;
using GradientNode.Core.Specs.Parsing;
using GradientNode.Core.Workflows.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Specs.Parsing;

/// <summary>
/// A quoted value left open, a backslash in double quotes, a quote inside a value quoted with the same mark: the error
/// says what to do (newuser14: before, YamlDotNet's words alone, and for <c>'it's'</c> the hint for a line out of step).
/// </summary>
[TestFixture]
[Category("Unit")]
internal sealed class QuotedScalarHintsTests
{
    private const string Head = "apiVersion: v1\nname: q\nimage: nginx:1.27\nresources: {machineType: C4, ports: [8080]}\n";

    [Test]
    public void Parse_QuoteNeverClosedAtTheEndOfTheFile_SaysToCloseIt()
    {
        var result = SpecParser.Parse("spec.yaml", Head + "command:\n  - \"/bin/serve\n");

        Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "spec.yaml:6:5: invalid YAML: while scanning a quoted scalar, found unexpected end of stream " + QuotedScalarHints.Unclosed,
        }));
    }

    [Test]
    public void Parse_QuoteNeverClosedWithMoreKeysAfterIt_SaysToCloseItAtTheQuote()
    {
        var result = SpecParser.Parse("spec.yaml", Head + "env:\n  - name: P\n    value: \"abc\n  - name: Q\n    value: d\n");

        Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "spec.yaml:7:12: invalid YAML: while scanning a multi-line double-quoted scalar, found wrong indentation " + QuotedScalarHints.Unclosed,
        }));
    }

    [Test]
    public void Parse_SingleQuoteLeftOpenInAFlowList_SaysToCloseIt()
    {
        var result = SpecParser.Parse("spec.yaml", Head + "command: ['/bin/serve]\nenv: []\n");

        Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "spec.yaml:5:11: invalid YAML: while scanning a quoted scalar, found unexpected end of stream " + QuotedScalarHints.Unclosed,
        }));
    }

    [Test]
    public void Parse_WindowsPathInDoubleQuotes_SaysHowToWriteABackslash()
    {
        var result = SpecParser.Parse("spec.yaml", Head + "env:\n  - name: P\n    value: \"C:\\data\\x\"\n");

        Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "spec.yaml:7:12: invalid YAML: while scanning a quoted scalar, found unknown escape character " + QuotedScalarHints.Escape,
        }));
    }

    [Test]
    public void Parse_ApostropheInsideSingleQuotes_SaysTheQuoteEndedTheValueNotThatTheLineIsOutOfStep()
    {
        var result = SpecParser.Parse("spec.yaml", Head + "env:\n  - name: P\n    value: 'it's'\n");

        Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "spec.yaml:7:16: invalid YAML: while parsing a block mapping, did not find expected key " + QuotedScalarHints.EarlyEnd,
        }));
    }

    [Test]
    public void Parse_WorkflowArgsItemLeftOpen_SaysToCloseIt()
    {
        const string text = "jobs:\n  a:\n    uses: container@v1\n    with:\n      image: bash:5\n      args:\n        - \"echo hi\n        - b\n";

        var result = WorkflowParser.Parse("w.yaml", text);

        Assert.That(result.Errors.Select(e => e.Message), Has.One.EndsWith(QuotedScalarHints.Unclosed));
    }

    [Test]
    public void Parse_LineOutOfStepAfterAClosedQuotedValue_KeepsTheIndentationHint()
    {
        var result = SpecParser.Parse("spec.yaml", Head + "env:\n  - name: P\n    value: 'x'\n     extra: 1\n");

        Assert.That(result.Errors.Select(e => e.Message), Has.None.Contains(QuotedScalarHints.EarlyEnd));
    }
}
