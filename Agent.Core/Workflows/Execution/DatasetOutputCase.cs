using GradientNode.Core.Specs;
using GradientNode.Core.Workflows.Runs;

namespace GradientNode.Core.Workflows.Execution;

/// <summary>
/// A warning for each job's dataset output whose dataset does not exist while one whose name differs only by case does
/// (<c>ref: mydata</c> beside <c>MyData</c>): names are case-sensitive, so the run would create a second dataset, as
/// <c>datasets create mydata</c> would (which warns the same way). Not a refusal: a second dataset may be meant.
/// </summary>
public static class DatasetOutputCase
{
    /// <summary>The warnings, each headed <c>file:line:col:</c> where <paramref name="at"/> says the output's <c>with.ref</c> was written.</summary>
    public static IReadOnlyList<string> Warnings(RunPlan plan, IWorkflowDatasets datasets, Func<string, SpecPosition?>? at)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(datasets);
        var warnings = new List<string>();
        foreach (var job in plan.Jobs)
        {
            foreach (var (name, output) in job.Outputs.Where(o => o.Value.Type == "dataset" && o.Value.Dataset is not null).OrderBy(o => o.Key, StringComparer.Ordinal))
            {
                if (datasets.OtherCase(output.Dataset!) is { } twin)
                {
                    var field = $"jobs.{job.Id}.outputs.{name}.with.ref";
                    var line = $"warning: {field}: no dataset '{output.Dataset}' on this node, but '{twin}' differs from it only by case; dataset names are case-sensitive, so the run creates a second dataset '{output.Dataset}' beside '{twin}' (to add a version to '{twin}', write ref: {twin})";
                    warnings.Add(at?.Invoke(field) is { } where ? where.Error(line).ToString() : line);
                }
            }
        }

        return warnings;
    }
}
