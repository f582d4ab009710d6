using GradientNode.Core.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Specs;

/// <summary>Text-level problems: tabs where YAML wants spaces.</summary>
internal sealed partial class SpecParserTests
{
    [TestCase("name: app\n\timage: nginx\n", 2, 1)]
    [TestCase("name: app\nresources:\n  machineType: C4\n\tports: [80]\n", 4, 1)]
    [TestCase("name: app\nresources:\n\tmachineType: C4\n", 3, 1)]
    [TestCase("name: app\nimage: nginx\nresources:\n  machineType: C4\n  ports:\n\t- 80\n", 6, 1)]
    [TestCase("env:\n  - name: A\n\t  value: b\n", 3, 1)]
    public void Parse_TabIndentation_ErrorAtTheTab(string text, int line, int column)
    {
        var errors = SpecParser.Parse("spec.yaml", text).Errors.Select(e => e.ToString()).ToList();
        TestContext.Out.WriteLine(string.Join("\n", errors));
        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0], Does.StartWith($"spec.yaml:{line}:{column}: "));
        Assert.That(errors[0], Does.Contain("tab"));
    }
}
