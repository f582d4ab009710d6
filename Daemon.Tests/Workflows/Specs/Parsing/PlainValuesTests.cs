using GradientNode.Core.Workflows.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Specs.Parsing;

[TestFixture]
[Category("Unit")]
internal sealed class PlainValuesTests
{
    [Test]
    public void Parse_ArgsWithABareDashItem_ErrorSaysToQuoteIt()
    {
        // GRADIENT-SEMANTICS §9.7: "a bare - list item must be quoted"; '- -' is a list that holds null.
        var result = WorkflowParser.Parse("w.yaml", "jobs:\n  a:\n    uses: container@v1\n    with:\n      image: bash:5\n      args:\n        - cat\n        - -\n");

        Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "w.yaml:8:11: jobs.a.with.args[1]: must be a string, got a list (an item written '- -' or '- - x' is a list in YAML: quote it, e.g. - '-')",
        }));
    }
}
