using GradientNode.Core.Workflows.Runs;
using GradientNode.Core.Workflows.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Execution;

/// <summary>The run plan of a workflow file, as a submit builds it, for the tests that start runs.</summary>
internal static class TestRunPlans
{
    /// <summary>
    /// Parses <paramref name="yaml"/> as <c>NAME.yaml</c> and plans a run of workflow <paramref name="name"/> with its inputs'
    /// defaults, failing the test when the file or the plan has errors.
    /// </summary>
    public static RunPlan Build(string name, string yaml)
    {
        var file = $"{name}.yaml";
        var parsed = WorkflowParser.Parse(file, yaml);
        Assert.That(parsed.Errors.Select(e => e.ToString()), Is.Empty);
        var (plan, errors) = RunPlanBuilder.Build(name, parsed.Spec!, WorkflowInputsParser.Parse(parsed.Spec!, (file, yaml), null, null).Values!);
        Assert.That(errors, Is.Empty);
        return plan!;
    }
}
