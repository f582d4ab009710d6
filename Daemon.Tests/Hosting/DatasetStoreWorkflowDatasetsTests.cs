using GradientNode.Core.Datasets;
using GradientNode.Core.Workflows.Runs;
using GradientNode.Core.Workflows.Specs;
using GradientNode.Daemon.Hosting;
using GradientNode.Tests.Infrastructure;
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

    [TestCase("", "it is empty (0 bytes)")]
    [TestCase("{\"name\": \"ou", "it ends early")]
    [TestCase(null, "it is missing")]
    public async Task CommitAsync_WriteFileDamagedAcrossARestart_OpenedAgainFromTheRunsRecordAndCommitted(string? damaged, string problem)
    {
        var root = Path.Combine(_state, "datasets");
        var before = new DatasetStore(root, new FakeTimeProvider());
        before.Create("out", null);
        var write = await new DatasetStoreWorkflowDatasets(before).BeginWriteAsync("out", "from the job", "workflow 'w' run 1", CancellationToken.None);
        await File.WriteAllTextAsync(Path.Combine(write.StagingPath, "model.bin"), "weights");
        var file = Path.Combine(Path.GetDirectoryName(write.StagingPath)!, "write.json");
        if (damaged is null)
        {
            File.Delete(file);
        }
        else
        {
            await File.WriteAllTextAsync(file, damaged);
        }

        var logger = new CollectingLogger<DatasetStore>();
        var restarted = new DatasetStore(root, new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 14, 0, 0, TimeSpan.Zero)), logger);
        var committed = await new DatasetStoreWorkflowDatasets(restarted).CommitAsync(write, "workflow 'w' run 1", null, CancellationToken.None, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllText(Path.Combine(committed.ContentPath, "model.bin")), Is.EqualTo("weights"));
            Assert.That(restarted.Versions("out").Single().Message, Is.EqualTo("from the job"));
            Assert.That(Directory.Exists(Path.GetDirectoryName(write.StagingPath)), Is.False, "the staging folder is gone");
            var warning = logger.Events.Single(e => e.Id.Id == 5012).Message;
            Assert.That(warning, Does.StartWith($"Dataset write file {file} of a workflow job's open output was damaged ({problem}"));
            Assert.That(warning, Does.EndWith("written again from the run's record, which names dataset out, so the job's output is committed or removed when it ends"));
            Assert.That(Directory.GetFiles(root, "write.json*", SearchOption.AllDirectories), Is.Empty, "nothing of the write is left, in the version's folder neither");
        });
    }

    [Test]
    public async Task AbortAsync_WriteFileDamagedAcrossARestart_StagingFolderRemovedAtOnce()
    {
        var root = Path.Combine(_state, "datasets");
        var before = new DatasetStore(root, new FakeTimeProvider());
        before.Create("out", null);
        var write = await new DatasetStoreWorkflowDatasets(before).BeginWriteAsync("out", null, "workflow 'w' run 1", CancellationToken.None);
        await File.WriteAllTextAsync(Path.Combine(Path.GetDirectoryName(write.StagingPath)!, "write.json"), "not json");
        var restarted = new DatasetStore(root, new FakeTimeProvider());

        await new DatasetStoreWorkflowDatasets(restarted).AbortAsync(write, CancellationToken.None);

        Assert.That(Directory.Exists(Path.GetDirectoryName(write.StagingPath)), Is.False, "before, it stayed until the next disk collection");
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
