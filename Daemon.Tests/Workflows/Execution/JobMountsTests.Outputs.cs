using GradientNode.Core.Workflows.Runs;
using GradientNode.Core.Workflows.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Execution;

/// <summary>A job's dataset output named like a stored dataset in another case: warned at its <c>with.ref</c>, as <c>datasets create</c> warns.</summary>
internal sealed partial class JobMountsTests
{
    private const string OutputsYaml = """
        jobs:
          make:
            uses: container@v1
            outputs:
              out:
                type: dataset
                with: {ref: SRC}
              same:
                type: dataset
                with:
                  ref: src
              fresh:
                type: dataset
                with: {ref: brand-new}
            with:
              image: gradient-test/web:1
        """;

    [Test]
    public async Task OutputCaseWarnings_OutputRefIsAStoredDatasetInAnotherCase_OneWarningAtItsWithRefNamingBoth()
    {
        var (_, mounts, _, _, _) = await StartRunAsync(); // stores dataset 'src'
        var parsed = WorkflowParser.Parse("wf/o.yaml", OutputsYaml);
        var (plan, _) = RunPlanBuilder.Build("o", parsed.Spec!, []);

        var warnings = mounts.OutputCaseWarnings(plan!, WorkflowPositions.Read("wf/o.yaml", OutputsYaml).Value);
        var unlocated = mounts.OutputCaseWarnings(plan!, null);

        Assert.Multiple(() =>
        {
            Assert.That(warnings, Is.EqualTo(new[]
            {
                "wf/o.yaml:7:21: warning: jobs.make.outputs.out.with.ref: no dataset 'SRC' on this node, but 'src' differs from it only by case; "
                    + "dataset names are case-sensitive, so the run creates a second dataset 'SRC' beside 'src' (to add a version to 'src', write ref: src)",
            }), "the exact name and a new name are not warned of");
            Assert.That(unlocated.Single(), Does.StartWith("warning: jobs.make.outputs.out.with.ref: no dataset 'SRC'"));
        });
    }
}
