using GradientNode.Core.Workflows.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Specs;

/// <summary>Errors under a key one edit from a known one show in the same pass as the misspelling, marked as under it.</summary>
internal sealed partial class WorkflowParserTests
{
    [Test]
    public void Parse_ErrorsUnderAMisspeltParentAndItsMisspeltChild_AllInOnePassMarkedWithTheInnermostKey()
    {
        const string yaml = """
            defualts:
              evn:
                TOKEN: [a]
              resources:
                instance-type: C4
                colour: red
            jobs:
              a:
                uses: container@v1
                wiht:
                  image: ""
            """;

        var errors = WorkflowParser.Parse("w.yaml", yaml).Errors.Select(e => e.ToString()).ToList();

        Assert.That(errors, Is.EqualTo(new[]
        {
            "w.yaml:1:1: unknown field 'defualts'; did you mean 'defaults'?",
            "w.yaml:2:3: unknown field 'evn' in defaults; did you mean 'env'? (under 'defualts', checked as 'defaults')",
            "w.yaml:3:12: defaults.env.TOKEN: expected a string, got a list (under 'evn', checked as 'env')",
            "w.yaml:6:5: unknown field 'colour' in defaults.resources (under 'defualts', checked as 'defaults')",
            "w.yaml:10:5: unknown field 'wiht' in jobs.a; did you mean 'with'?",
            "w.yaml:11:7: jobs.a.with: missing required field 'image' (under 'wiht', checked as 'with')",
        }), string.Join("\n", errors));
    }

    [Test]
    public void Parse_UnknownKeyTwoEditsAwayOrTheMeantKeyAlsoWritten_NoRecheck()
    {
        const string yaml = """
            defolts:
              evn: {A: [x]}
            jobs:
              a:
                uses: container@v1
                with: {image: x}
                wiht: {image: [y]}
            """;

        var errors = WorkflowParser.Parse("w.yaml", yaml).Errors.Select(e => e.ToString()).ToList();

        Assert.That(errors, Has.Count.EqualTo(2).And.All.Not.Contains("(under"), string.Join("\n", errors));
    }
}
