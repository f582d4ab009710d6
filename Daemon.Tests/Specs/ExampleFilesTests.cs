using GradientNode.Core.Specs;
using GradientNode.Core.Workflows.Specs;
using GradientNode.Tests.Install;
using NUnit.Framework;

namespace GradientNode.Tests.Specs;

/// <summary>Every file under <c>examples/specs</c> and <c>examples/workflows</c> is a valid spec: the README and the docs point users at them.</summary>
[TestFixture]
[Category("Unit")]
internal sealed class ExampleFilesTests
{
    private static IEnumerable<string> Files(string folder) =>
        Directory.EnumerateFiles(Path.Combine(ShellTool.RepoRoot(), "examples", folder), "*.yaml").Order(StringComparer.Ordinal);

    [Test]
    public void Parse_EveryExampleDeployment_Valid()
    {
        var files = Files("specs").ToList();

        Assert.That(files, Is.Not.Empty);
        Assert.Multiple(() =>
        {
            foreach (var file in files)
            {
                Assert.That(SpecParser.Parse(file, File.ReadAllText(file)).Errors.Select(e => e.ToString()), Is.Empty, file);
            }
        });
    }

    [Test]
    public void Parse_EveryExampleWorkflow_Valid()
    {
        var files = Files("workflows").ToList();

        Assert.That(files, Is.Not.Empty);
        Assert.Multiple(() =>
        {
            foreach (var file in files)
            {
                var parsed = WorkflowParser.Parse(file, File.ReadAllText(file));
                Assert.That(parsed.Errors.Select(e => e.ToString()), Is.Empty, file);
                Assert.That(parsed.Spec, Is.Not.Null, file);
            }
        });
    }
}
