using GradientNode.Core.Specs;
using GradientNode.Core.Workflows.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Specs.Parsing;

/// <summary>A comment indented less than a <c>|</c> block's text ends the block (GRADIENT-SEMANTICS §9.7): the error says so.</summary>
[TestFixture]
[Category("Unit")]
internal sealed class BlockScalarCommentTests
{
    [Test]
    public void Parse_ScriptWithACommentAtColumnOne_ErrorNamesTheCommentAndTheBlock()
    {
        const string text = "jobs:\n  a:\n    uses: script@v1\n    with:\n      image: bash:5\n      script: |-\n        pip install scipy\n# then run it\n        python run.py\n";

        var result = WorkflowParser.Parse("w.yaml", text);

        Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "w.yaml:9:9: invalid YAML: while parsing a block mapping, did not find expected key (line 8 is a comment indented less than the block text "
            + "that starts on line 6, so it ended that block there and this line no longer belongs to it: indent the comment as deep as the block's lines, "
            + "where it is part of the text, or remove it)",
        }));
    }

    [Test]
    public void Parse_CommandItemWithALessIndentedCommentInside_ErrorNamesTheComment()
    {
        const string text = "name: web\nimage: nginx:1.27\ncommand:\n  - /bin/sh\n  - -c\n  - |\n    while true\n  # wait a bit\n    do sleep 1; done\nresources:\n  machineType: C4\n  ports: [8080]\n";

        var result = SpecParser.Parse("spec.yaml", text);

        Assert.That(result.Errors.Select(e => e.Message), Has.One.Contains("(line 8 is a comment indented less than the block text that starts on line 6"));
    }

    [Test]
    public void Parse_LineOutOfStepWithNoCommentBeforeIt_KeepsTheIndentationHint()
    {
        var result = SpecParser.Parse("spec.yaml", "name: web\nimage: nginx:1.27\nresources:\n  machineType: C4\n    ports: [8080]\n");

        Assert.That(result.Errors.Select(e => e.Message).Single(), Does.Not.Contain("comment"));
    }
}
