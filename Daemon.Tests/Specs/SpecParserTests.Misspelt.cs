using GradientNode.Core.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Specs;

/// <summary>A deployment spec shares the workflow parser's readers: errors under a misspelt key come in the same pass.</summary>
internal sealed partial class SpecParserTests
{
    [Test]
    public void Parse_ErrorsUnderAMisspeltParent_ReportedWithTheMisspellingMarkedAsUnderIt()
    {
        var result = SpecParser.Parse("spec.yaml", "apiVersion: v1\nname: hello\nimage: a:1\nresoruces:\n  machineType: C4\n  ports: [8080]\n  replicas: many\n  colour: red\n");

        Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "spec.yaml:4:1: unknown field 'resoruces'; did you mean 'resources'?",
            "spec.yaml:7:13: resources.replicas: expected an integer, got 'many' (under 'resoruces', checked as 'resources')",
            "spec.yaml:8:3: unknown field 'colour' in resources (under 'resoruces', checked as 'resources')",
        }), string.Join("\n", result.Errors));
    }
}
