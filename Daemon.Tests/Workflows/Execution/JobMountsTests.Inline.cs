using GradientNode.Core.Workflows.Execution;
using GradientNode.Core.Workflows.Runs;
using GradientNode.Core.Workflows.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Execution;

/// <summary>A job's inline dataset input: checked at submit at its <c>with.ref</c>, pinned to the version current when the run starts.</summary>
internal sealed partial class JobMountsTests
{
    private const string InlineYaml = """
        jobs:
          make:
            uses: container@v1
            outputs:
              out:
                type: dataset
                with: {ref: made}
            with:
              image: gradient-test/web:1
          a:
            uses: container@v1
            inputs:
              d:
                type: dataset
                with:
                  ref: src:golden
              m:
                type: dataset
                with: {ref: made}
            with:
              image: gradient-test/web:1
        """;

    [Test]
    public async Task CheckJobInputsAsync_InlineRefsThatDoNotResolve_EachHeadedByItsWithRefAndAJobsOwnOutputNamesTheAlias()
    {
        var (_, mounts, _, _, _) = await StartRunAsync();
        var plan = InlinePlan();

        var problems = await mounts.CheckJobInputsAsync(plan, WorkflowPositions.Read("wf/i.yaml", InlineYaml).Value, CancellationToken.None);
        var unlocated = await mounts.CheckJobInputsAsync(plan, null, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(problems, Is.EqualTo(new[]
            {
                "wf/i.yaml:16:16: jobs.a.inputs.d: dataset 'src' has no version or tag 'golden'; list its versions and tags: gradient-node datasets versions src",
                "wf/i.yaml:19:21: jobs.a.inputs.m: no dataset 'made' (create it: gradient-node datasets create made); an inline input reads the version current when the run is submitted, never one this run writes: to read make.outputs.out, take it as an alias input, inputs: {m: make.outputs.out} (with make in needs)",
            }));
            Assert.That(unlocated[0], Does.StartWith("jobs.a.inputs.d: dataset 'src'"), "no positions: the field still leads");
        });
    }

    [Test]
    public async Task ResolveJobInputsAsync_VersionCommittedAfterTheRunStarted_JobMountsTheVersionCurrentAtTheStartHeldByTheRun()
    {
        var (store, mounts, _, _, first) = await StartRunAsync();
        const string yaml = """
            jobs:
              a:
                uses: container@v1
                inputs:
                  d:
                    type: dataset
                    with: {ref: src}
                with:
                  image: gradient-test/web:1
            """;
        var runs = new WorkflowRunStore(_state);
        var parsed = WorkflowParser.Parse("i.yaml", yaml);
        Assert.That(parsed.IsValid, Is.True, string.Join("\n", parsed.Errors));
        var plan = RunPlanBuilder.Build("i", parsed.Spec!, []).Plan!;
        var record = runs.Create(plan, yaml, null, DateTimeOffset.UnixEpoch);
        record = record with { PinnedInputs = await mounts.ResolveJobInputsAsync(record, CancellationToken.None) };
        var write = store.BeginWrite("src", null);
        await File.WriteAllTextAsync(Path.Combine(write.ContentPath, "f"), "newer");
        var second = await store.CommitAsync(write, CancellationToken.None);

        var prepared = await mounts.PrepareAsync(record, plan.Jobs.Single(j => j.Id == "a"), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(record.PinnedInputs["a/d"].Dataset!.Id, Is.EqualTo(first.Id));
            Assert.That(prepared.Inputs["d"].Dataset!.Id, Is.EqualTo(first.Id), "not the version committed after the start");
            Assert.That(prepared.Binds.Select(b => b.Source), Does.Contain(store.ContentPathOf("src", first.Version)).And.Not.Contain(store.ContentPathOf("src", second.Version)));
            Assert.That(store.Leases.HoldersOf(first.Id), Does.Contain("workflow 'i' run 1"), "held from the run's start");
            Assert.That(RunDatasetHolds.VersionsOf(record), Does.Contain(first.Id), "held again from the record after a restart");
        });
    }

    private static RunPlan InlinePlan()
    {
        var parsed = WorkflowParser.Parse("wf/i.yaml", InlineYaml);
        Assert.That(parsed.IsValid, Is.True, string.Join("\n", parsed.Errors));
        return RunPlanBuilder.Build("i", parsed.Spec!, []).Plan!;
    }
}
