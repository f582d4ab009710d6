using GradientNode.Core.Datasets;
using GradientNode.Core.Workflows.Execution;
using GradientNode.Core.Workflows.Runs;
using GradientNode.Core.Workflows.Specs;
using GradientNode.Daemon.Hosting;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Execution;

/// <summary>A job's mounts over the real dataset store: a dataset input is the version the run resolved at its start, held by the run until it lets go.</summary>
[TestFixture]
[Category("Unit")]
internal sealed partial class JobMountsTests
{
    private const string Yaml = """
        inputs:
          d:
            type: dataset
            with: {ref: src}
        jobs:
          a:
            uses: container@v1
            inputs:
              d: workflow.inputs.d
            with:
              image: gradient-test/web:1
        """;

    private string _state = string.Empty;

    [SetUp]
    public void SetUp() => _state = Directory.CreateTempSubdirectory("gn-jobmounts-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_state, recursive: true);

    [Test]
    public async Task PrepareAsync_InputVersionRemovedOutsideTheNodeSinceTheRunStarted_ErrorNamesTheFieldAndTheVersion()
    {
        var (store, mounts, record, plan, version) = await StartRunAsync();

        // The run holds the version, so the store refuses to remove it; a folder deleted by hand is still possible.
        Directory.Delete(Path.GetDirectoryName(store.ContentPathOf("src", version.Version))!, recursive: true);

        Assert.That(
            async () => await mounts.PrepareAsync(record, plan.Jobs[0], CancellationToken.None),
            Throws.TypeOf<JobFailedException>()
                .With.Property(nameof(JobFailedException.Phase)).EqualTo(WorkflowPhase.Error)
                .And.Message.EqualTo($"jobs.a.inputs.d: {version.Id}, the version this run resolved it to, is gone (dataset 'src' has no version or tag '{version.Version}': it has no committed version yet (upload one: gradient-node datasets upload src DIR)); run the workflow again to use the current version"));
    }

    [Test]
    public async Task ResolveRunInputsAsync_DatasetInput_RunHoldsTheVersionUntilReleased()
    {
        var (store, mounts, record, plan, version) = await StartRunAsync();

        Assert.Multiple(() =>
        {
            Assert.That(store.Leases.HoldersOf(version.Id), Is.EqualTo(new[] { "workflow 'w' run 1" }));
            Assert.That(
                () => store.Remove("src", version.Version),
                Throws.TypeOf<DatasetException>().With.Property(nameof(DatasetException.Error)).EqualTo(DatasetError.InUse)
                    .And.Message.EqualTo($"dataset version '{version.Id}' is held by workflow 'w' run 1, which resolved it and has not ended (a run keeps the versions it resolved until it ends); wait for the run to end or cancel it, nothing was removed"));
        });

        var prepared = await mounts.PrepareAsync(record, plan.Jobs[0], CancellationToken.None);
        await mounts.ReleaseAsync(record, CancellationToken.None);
        store.Remove("src", version.Version);

        Assert.Multiple(() =>
        {
            Assert.That(prepared.Binds.Select(b => b.Source), Does.Contain(store.ContentPathOf("src", version.Version)), "the job mounted the version it held");
            Assert.That(store.Leases.HoldersOf(version.Id), Is.Empty);
            Assert.That(() => store.Resolve(version.Id), Throws.TypeOf<DatasetException>(), "removed once the run let go");
        });
    }

    [Test]
    public async Task CheckRunInputsAsync_TagOrDatasetThatDoesNotExist_NamesTheInputTheDatasetAndTheTagAndHoldsNothing()
    {
        var (store, mounts, _, _, version) = await StartRunAsync();
        var parsed = WorkflowParser.Parse("w.yaml", Yaml);
        RunPlan PlanWith(string reference) => RunPlanBuilder.Build("w", parsed.Spec!, WorkflowInputsParser.Parse(parsed.Spec!, ("w.yaml", Yaml), "in.yaml", $"inputs:\n  d:\n    ref: \"{reference}\"\n").Values!).Plan!;

        var noTag = await mounts.CheckRunInputsAsync(PlanWith("src:v9"), null, CancellationToken.None);
        var noDataset = await mounts.CheckRunInputsAsync(PlanWith("nosuch"), null, CancellationToken.None);
        var byTag = await mounts.CheckRunInputsAsync(PlanWith($"src:{version.Version}"), null, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(noTag, Is.EqualTo(new[] { "inputs.d: dataset 'src' has no version or tag 'v9'; list its versions and tags: gradient-node datasets versions src" }));
            Assert.That(noDataset, Is.EqualTo(new[] { "inputs.d: no dataset 'nosuch' (create it: gradient-node datasets create nosuch)" }));
            Assert.That(byTag, Is.Empty);
            Assert.That(store.Leases.HoldersOf(version.Id), Is.EqualTo(new[] { "workflow 'w' run 1" }), "the checks hold nothing (run 1 holds it since it started)");
        });
    }

    [Test]
    public async Task CheckRunInputsAsync_PositionsOfTheValues_HeadsEachProblemWithWhereItsRefWasWritten()
    {
        var (_, mounts, _, _, _) = await StartRunAsync();
        var yaml = Yaml.Replace("with: {ref: src}", "with: {ref: src:golden}", StringComparison.Ordinal);
        var parsed = WorkflowParser.Parse("wf/w.yaml", yaml);
        async Task<IReadOnlyList<string>> CheckAsync(string? inputsText)
        {
            var values = WorkflowInputsParser.Parse(parsed.Spec!, ("wf/w.yaml", yaml), inputsText is null ? null : "in.yaml", inputsText);
            var plan = RunPlanBuilder.Build("w", parsed.Spec!, values.Values!).Plan!;
            return await mounts.CheckRunInputsAsync(plan, values.Positions, CancellationToken.None);
        }

        var byDefault = await CheckAsync(null);
        var byInputsFile = await CheckAsync("inputs:\n  d:\n    ref: \"src:v9\"\n");
        var byOlderId = await CheckAsync("inputs:\n  d: {id: nosuch}\n");

        Assert.Multiple(() =>
        {
            Assert.That(byDefault, Is.EqualTo(new[] { "wf/w.yaml:4:17: inputs.d: dataset 'src' has no version or tag 'golden'; list its versions and tags: gradient-node datasets versions src" }), "the workflow file's with.ref");
            Assert.That(byInputsFile, Is.EqualTo(new[] { "in.yaml:3:10: inputs.d: dataset 'src' has no version or tag 'v9'; list its versions and tags: gradient-node datasets versions src" }), "the inputs file's ref");
            Assert.That(byOlderId, Is.EqualTo(new[] { "in.yaml:2:11: inputs.d: no dataset 'nosuch' (create it: gradient-node datasets create nosuch)" }), "the inputs file's id");
        });
    }

    private async Task<(DatasetStore Store, JobMounts Mounts, RunRecord Record, RunPlan Plan, DatasetVersion Version)> StartRunAsync()
    {
        var store = new DatasetStore(Path.Combine(_state, "datasets"), new FakeTimeProvider());
        store.Create("src", null);
        var write = store.BeginWrite("src", null);
        await File.WriteAllTextAsync(Path.Combine(write.ContentPath, "f"), "x");
        var version = await store.CommitAsync(write, CancellationToken.None);
        var runs = new WorkflowRunStore(_state);
        var mounts = new JobMounts(runs, new DatasetStoreWorkflowDatasets(store));
        var parsed = WorkflowParser.Parse("w.yaml", Yaml);
        var (plan, _) = RunPlanBuilder.Build("w", parsed.Spec!, WorkflowInputsParser.Parse(parsed.Spec!, ("w.yaml", Yaml), null, null).Values!);
        var record = runs.Create(plan!, Yaml, null, DateTimeOffset.UnixEpoch);
        record = record with { Status = record.Status with { Inputs = await mounts.ResolveRunInputsAsync(record, CancellationToken.None) } };
        return (store, mounts, record, plan!, version);
    }
}
