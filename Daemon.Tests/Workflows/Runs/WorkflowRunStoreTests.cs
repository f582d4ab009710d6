using GradientNode.Core.Common;
using GradientNode.Core.Workflows.Runs;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Runs;

[TestFixture]
[Category("Unit")]
internal sealed class WorkflowRunStoreTests
{
    private string _state = string.Empty;

    [SetUp]
    public void SetUp() => _state = Directory.CreateTempSubdirectory("gn-wfstore-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_state, recursive: true);

    [Test]
    public void Create_TwoRunsOfOneWorkflowAndOneOfAnother_NumberedPerWorkflowWithTheirOwnSpecCopy()
    {
        var store = new WorkflowRunStore(_state);

        var first = store.Create(Plan("train"), "jobs: {a: 1}", null, DateTimeOffset.UnixEpoch);
        var second = store.Create(Plan("train"), "jobs: {b: 2}", "{\"inputs\": {}}", DateTimeOffset.UnixEpoch);
        var other = store.Create(Plan("eval"), "jobs: {}", null, DateTimeOffset.UnixEpoch);

        Assert.Multiple(() =>
        {
            Assert.That((first.Status.Run, second.Status.Run, other.Status.Run), Is.EqualTo((1, 2, 1)));
            Assert.That(File.ReadAllText(Path.Combine(store.RunDir("train", 1), "spec.yaml")), Is.EqualTo("jobs: {a: 1}"));
            Assert.That(File.ReadAllText(Path.Combine(store.RunDir("train", 2), "inputs.json")), Is.EqualTo("{\"inputs\": {}}"));
            Assert.That(second.Status.Jobs["job-1"].Phase, Is.EqualTo(WorkflowPhase.Pending));
        });
    }

    [Test]
    public void Latest_RunsOfTwoWorkflows_EachOnesNewestNumberAndNullForOneWithoutRuns()
    {
        var store = new WorkflowRunStore(_state);
        store.Create(Plan("train"), "jobs: {a: 1}", null, DateTimeOffset.UnixEpoch);
        store.Create(Plan("train"), "jobs: {a: 1}", null, DateTimeOffset.UnixEpoch);
        store.Create(Plan("eval"), "jobs: {}", null, DateTimeOffset.UnixEpoch);

        Assert.Multiple(() =>
        {
            Assert.That(store.Latest("train"), Is.EqualTo(2));
            Assert.That(store.Latest("eval"), Is.EqualTo(1));
            Assert.That(store.Latest("none"), Is.Null);
            Assert.That(store.Latest("../train"), Is.Null, "not a workflow name");
        });
    }

    [Test]
    public void Create_RefusedOnAFullDisk_GivesItsNumberToTheNextRun()
    {
        // A real full disk with room for last-run but not for the run's copy of its spec. Before, last-run was written
        // first and the folder stayed: the refused run used up number 2 and the next run was 3.
        using var disk = FullTmpfs.Mount();
        var store = new WorkflowRunStore(disk.Path);
        store.Create(Plan("train"), "x", null, DateTimeOffset.UnixEpoch);
        disk.Fill();
        disk.Free(16 * 1024);

        var refused = Assert.Catch<IOException>(() => store.Create(Plan("train"), new string('x', 128 * 1024), null, DateTimeOffset.UnixEpoch));
        File.Delete(Path.Combine(disk.Path, "filler"));
        var next = store.Create(Plan("train"), "x", null, DateTimeOffset.UnixEpoch);

        Assert.Multiple(() =>
        {
            Assert.That(refused!.Message, Does.Contain("spec.yaml"), "refused at its copy of the spec");
            Assert.That(next.Status.Run, Is.EqualTo(2));
            Assert.That(File.ReadAllText(Path.Combine(store.Root, "train", "last-run")).Trim(), Is.EqualTo("2"));
        });
    }

    [TestCase("")]
    [TestCase("{\"plan\":{\"workfl")]
    [TestCase("null")]
    [TestCase("{}")]
    public void Damaged_RunRecordTruncatedOrCorrupt_NamedWithItsFileAndTheOtherRunsStillListed(string damaged)
    {
        var store = new WorkflowRunStore(_state);
        store.Create(Plan("train"), "x", null, DateTimeOffset.UnixEpoch);
        store.Create(Plan("train"), "x", null, DateTimeOffset.UnixEpoch);
        var path = Path.Combine(store.RunDir("train", 1), "run.json");
        File.WriteAllText(path, damaged);

        Assert.Multiple(() =>
        {
            Assert.That(store.Damaged().Select(d => (d.Workflow, d.Run, d.Path)), Is.EqualTo(new[] { ("train", 1, path) }));
            Assert.That(store.Damaged().Single().Problem, Is.Not.Empty);
            Assert.That(store.Unfinished().Select(r => r.Status.Run), Is.EqualTo(new[] { 2 }));
            Assert.That(File.ReadAllText(path), Is.EqualTo(damaged), "kept as it is");
            Assert.That(store.Create(Plan("train"), "x", null, DateTimeOffset.UnixEpoch).Status.Run, Is.EqualTo(3), "its number is not given again");
        });
    }

    [Test]
    public void Save_ReadByANewStore_StatusAndPlanSurviveARestart()
    {
        var record = new WorkflowRunStore(_state).Create(Plan("train"), "x", null, DateTimeOffset.UnixEpoch);
        var running = record with { Status = record.Status with { Phase = WorkflowPhase.Running, Jobs = new Dictionary<string, JobStatus> { ["job-1"] = new() { Phase = WorkflowPhase.Running } } } };
        new WorkflowRunStore(_state).Save(running);

        var reopened = new WorkflowRunStore(_state);

        Assert.Multiple(() =>
        {
            Assert.That(reopened.Get("train", 1)!.Status.Jobs["job-1"].Phase, Is.EqualTo(WorkflowPhase.Running));
            Assert.That(reopened.Get("train", 1)!.Plan.Jobs.Single().Env["HELLO"], Is.EqualTo("secret:greeting"), "a secret stays a reference");
            Assert.That(reopened.Unfinished().Select(r => r.Status.Run), Is.EqualTo(new[] { 1 }));
            Assert.That(reopened.Get("train", 2), Is.Null);
            Assert.That(reopened.Get("../train", 1), Is.Null, "a name that is not a folder name finds nothing");
        });
    }

    [Test]
    public void Delete_NewestRun_GoneAndItsNumberNeverGivenAgain()
    {
        var store = new WorkflowRunStore(_state);
        store.Create(Plan("train"), "x", null, DateTimeOffset.UnixEpoch);
        store.Create(Plan("train"), "x", null, DateTimeOffset.UnixEpoch);

        var deleted = store.Delete("train", 2);
        var next = new WorkflowRunStore(_state).Create(Plan("train"), "x", null, DateTimeOffset.UnixEpoch);
        store.Delete("train", 1);
        store.Delete("train", 3);
        var afterAll = store.Create(Plan("train"), "x", null, DateTimeOffset.UnixEpoch);

        Assert.Multiple(() =>
        {
            Assert.That(deleted, Is.True);
            Assert.That(next.Status.Run, Is.EqualTo(3), "run 2's folder, containers and dataset holds were named after 2");
            Assert.That(afterAll.Status.Run, Is.EqualTo(4), "also once every run is gone");
            Assert.That(store.Runs("train").Select(r => r.Status.Run), Is.EqualTo(new[] { 4 }));
            Assert.That(Directory.EnumerateDirectories(Path.Combine(store.Root, "train")).Select(Path.GetFileName), Is.EqualTo(new[] { "4" }));
        });
    }

    [Test]
    public void Create_LastRunNotANumberAfterTheNewestRunsWereDeleted_NumberNotGivenAgainAndFileKeptAsideWithAWarning()
    {
        var logger = new CollectingLogger<WorkflowRunStore>();
        var store = new WorkflowRunStore(_state, new StateFileDamage(new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 14, 0, 0, TimeSpan.Zero)), logger));
        store.Create(Plan("train"), "x", null, DateTimeOffset.UnixEpoch);
        store.Create(Plan("train"), "x", null, DateTimeOffset.UnixEpoch);
        store.Create(Plan("train"), "x", null, DateTimeOffset.UnixEpoch);
        store.Delete("train", 2);
        store.Delete("train", 3);
        var lastRun = Path.Combine(store.Root, "train", "last-run");
        File.WriteAllText(lastRun, "x3"); // edited by hand, or a disk that lost the block

        var next = store.Create(Plan("train"), "x", null, DateTimeOffset.UnixEpoch);

        Assert.Multiple(() =>
        {
            Assert.That(next.Status.Run, Is.EqualTo(4), "run 3's containers (labelled 3) and dataset holds (named after it) must never meet a new run 3");
            Assert.That(File.ReadAllText(lastRun + ".damaged-20261206T140000Z"), Is.EqualTo("x3"));
            Assert.That(File.ReadAllText(lastRun), Is.EqualTo("4\n"));
            Assert.That(logger.Events.Select(e => (e.Id.Id, e.Message)), Is.EqualTo(new[]
            {
                (1402, $"state file {lastRun} was damaged (it holds no run number (2 characters that are not a number)); kept aside as {lastRun}.damaged-20261206T140000Z; the next run of workflow 'train' is numbered one above the highest of its other copy and of the run folders present, so no number is given twice"),
            }));
        });
    }

    [Test]
    public void Create_RunFolderBeingDeletedIsTheHighestAndLastRunGone_NumberNotGivenAgain()
    {
        var store = new WorkflowRunStore(_state);
        store.Create(Plan("train"), "x", null, DateTimeOffset.UnixEpoch);
        Directory.CreateDirectory(Path.Combine(store.Root, "train", ".deleting-7-0123abcd"));
        File.Delete(Path.Combine(store.Root, "train", "last-run"));
        File.Delete(Path.Combine(store.Root, "train", ".last-run.copy"));

        Assert.That(store.Create(Plan("train"), "x", null, DateTimeOffset.UnixEpoch).Status.Run, Is.EqualTo(8));
    }

    [Test]
    public void Delete_UnknownRunOrBadName_False()
    {
        var store = new WorkflowRunStore(_state);
        store.Create(Plan("train"), "x", null, DateTimeOffset.UnixEpoch);

        Assert.Multiple(() =>
        {
            Assert.That(store.Delete("train", 9), Is.False);
            Assert.That(store.Delete("nosuch", 1), Is.False);
            Assert.That(store.Delete("../train", 1), Is.False);
            Assert.That(store.Get("train", 1), Is.Not.Null);
        });
    }

    [Test]
    public void SweepDeleted_FolderOfADeletionCutByACrash_RemovedWithoutTouchingRuns()
    {
        var store = new WorkflowRunStore(_state);
        store.Create(Plan("train"), "x", null, DateTimeOffset.UnixEpoch);
        Directory.CreateDirectory(Path.Combine(store.Root, "train", ".deleting-7-abc", "jobs"));

        var swept = store.SweepDeleted();

        Assert.Multiple(() =>
        {
            Assert.That(swept, Is.EqualTo(1));
            Assert.That(Directory.EnumerateDirectories(Path.Combine(store.Root, "train")).Select(Path.GetFileName), Is.EqualTo(new[] { "1" }));
        });
    }

    private static RunPlan Plan(string workflow) => new()
    {
        Workflow = workflow,
        Jobs = [new JobPlan { Id = "job-1", Action = "container@v1", Env = new Dictionary<string, string> { ["HELLO"] = "secret:greeting" } }],
    };
}
