using GradientNode.Core.Datasets;
using GradientNode.Core.Workflows.Runs;
using GradientNode.Core.Workflows.Specs;
using GradientNode.Daemon.Hosting;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace GradientNode.Tests.Hosting;

/// <summary>After a restart the daemon holds again what its unfinished runs' records name, and nothing of its finished runs.</summary>
[TestFixture]
[Category("Unit")]
internal sealed class DatasetStoreWorkflowDatasetsTests
{
    private const string Yaml = """
        jobs:
          a:
            uses: container@v1
            with:
              image: gradient-test/web:1
        """;

    private string _state = string.Empty;

    [SetUp]
    public void SetUp() => _state = Directory.CreateTempSubdirectory("gn-restore-holds-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_state, recursive: true);

    [Test]
    public void RestoreHolds_UnfinishedAndFinishedRuns_HoldsWhatTheUnfinishedOnesNameOnly()
    {
        var runs = new WorkflowRunStore(_state);
        Save(runs, WorkflowPhase.Running, inputs: Dataset("src:aaa0000"), jobInputs: Dataset("cfg:bbb0000"), jobOutputs: Dataset("out:ccc0000"));
        Save(runs, WorkflowPhase.Succeeded, inputs: Dataset("src:ddd0000"), jobInputs: [], jobOutputs: []);
        Save(runs, WorkflowPhase.Pending, inputs: [], jobInputs: [], jobOutputs: []);
        var store = new DatasetStore(Path.Combine(_state, "datasets"), new FakeTimeProvider());

        var held = DatasetStoreWorkflowDatasets.RestoreHolds(store, runs);

        Assert.Multiple(() =>
        {
            Assert.That(held, Is.EqualTo(3));
            Assert.That(store.Leases.HeldBy("workflow 'w' run 1"), Is.EqualTo(new[] { "cfg:bbb0000", "out:ccc0000", "src:aaa0000" }));
            Assert.That(store.Leases.HoldersOf("src:ddd0000"), Is.Empty, "a finished run holds nothing");
            Assert.That(store.Leases.HeldBy("workflow 'w' run 3"), Is.Empty);
        });
    }

    private static Dictionary<string, RunValue> Dataset(string id) => new() { ["d"] = new RunValue { Type = "dataset", Dataset = new DatasetValue(id) } };

    private static void Save(WorkflowRunStore runs, WorkflowPhase phase, Dictionary<string, RunValue> inputs, Dictionary<string, RunValue> jobInputs, Dictionary<string, RunValue> jobOutputs)
    {
        var parsed = WorkflowParser.Parse("w.yaml", Yaml);
        var (plan, _) = RunPlanBuilder.Build("w", parsed.Spec!, WorkflowInputsParser.Parse(parsed.Spec!, ("w.yaml", Yaml), null, null).Values!);
        var record = runs.Create(plan!, Yaml, null, DateTimeOffset.UnixEpoch);
        runs.Save(record with
        {
            Status = record.Status with
            {
                Phase = phase,
                Inputs = inputs,
                Jobs = new Dictionary<string, JobStatus> { ["a"] = record.Status.Jobs["a"] with { Inputs = jobInputs, Outputs = jobOutputs } },
            },
        });
    }
}
