using System.Text;
using GradientNode.Core.Workflows.Runs;
using GradientNode.Core.Workflows.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Specs;

/// <summary>
/// A run's cost grows with the square of its jobs (each change saves the whole run; the scheduler walks every job), and the
/// parser let through as many as 100,000 YAML nodes hold: 7,000 jobs were 2 s of the daemon's CPU to submit and a 4 MB
/// <c>run.json</c> rewritten at every job's start and end (found by the twelfth adversary review).
/// </summary>
internal sealed partial class WorkflowParserTests
{
    [Test]
    public void Parse_MoreJobsThanAWorkflowMayHave_ErrorAtTheJobsKeyNamingBothCounts()
    {
        var result = WorkflowParser.Parse("w.yaml", Chain(RunLimits.MaxJobs + 1));

        Assert.Multiple(() =>
        {
            Assert.That(result.Spec, Is.Null);
            Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[]
            {
                $"w.yaml:1:1: jobs: {RunLimits.MaxJobs + 1} jobs, more than the {RunLimits.MaxJobs} a workflow may have (each job's change saves the whole run, so a run's cost grows with the square of its jobs); split it into several workflows",
            }));
        });
    }

    [Test]
    public void Parse_AsManyJobsAsAWorkflowMayHave_Valid()
    {
        var result = WorkflowParser.Parse("w.yaml", Chain(RunLimits.MaxJobs));

        Assert.That(result.Errors, Is.Empty);
        Assert.That(result.Spec!.Jobs, Has.Count.EqualTo(RunLimits.MaxJobs));
        Assert.That(result.Spec.Jobs.Select(j => j.Id), Is.EqualTo(Enumerable.Range(0, RunLimits.MaxJobs).Reverse().Select(i => $"j{i}")), "each job after the one it needs (NeedsOrder: linear, no longer a scan of every job per pick)");
    }

    /// <summary>Jobs <c>j0 … j(n-1)</c>, each needing the next (written backwards, the parser's slowest order).</summary>
    private static string Chain(int count)
    {
        var text = new StringBuilder("jobs:\n");
        for (var i = 0; i < count; i++)
        {
            text.Append("  j").Append(i).Append(": {uses: container@v1, with: {image: busybox}")
                .Append(i + 1 < count ? $", needs: j{i + 1}}}\n" : "}\n");
        }

        return text.ToString();
    }
}
