using GradientNode.Core.Datasets;
using GradientNode.Core.Workflows.Execution;
using GradientNode.Core.Workflows.Runs;
using GradientNode.Core.Workflows.Specs;
using GradientNode.Daemon.Hosting;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Execution;

/// <summary>A job's mounts over the real dataset store: a dataset input is the version the run resolved at its start.</summary>
[TestFixture]
[Category("Unit")]
internal sealed class JobMountsTests
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
    public async Task PrepareAsync_InputVersionRemovedSinceTheRunStarted_ErrorNamesTheFieldAndTheVersion()
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
        record = record with { Status = record.Status with { Inputs = await mounts.ResolveRunInputsAsync(plan!, CancellationToken.None) } };

        store.Remove("src", version.Version);

        Assert.That(
            async () => await mounts.PrepareAsync(record, plan!.Jobs[0], CancellationToken.None),
            Throws.TypeOf<JobFailedException>()
                .With.Property(nameof(JobFailedException.Phase)).EqualTo(WorkflowPhase.Error)
                .And.Message.EqualTo($"jobs.a.inputs.d: {version.Id}, the version this run resolved it to, is gone (dataset 'src' has no version or tag '{version.Version}'); run the workflow again to use the current version"));
    }
}
