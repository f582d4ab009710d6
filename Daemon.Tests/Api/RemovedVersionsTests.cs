using GradientNode.Core.Datasets;
using GradientNode.Core.Workflows.Runs;
using GradientNode.Daemon.Api;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace GradientNode.Tests.Api;

[TestFixture]
[Category("Unit")]
internal sealed class RemovedVersionsTests
{
    private static readonly RunValue Kept = new() { Type = "dataset", Dataset = new DatasetValue("raw:aaaaaaa") };

    [Test]
    public void Mark_VersionsTheStoreNoLongerHas_MarkedRemovedInRunAndJobValuesOnly()
    {
        var gone = new RunValue { Type = "dataset", Dataset = new DatasetValue("model:bbbbbbb", IsCommitted: true) };
        var write = new RunValue { Type = "dataset", Dataset = new DatasetValue("model:ccccccc", IsCommitted: false) };
        var text = new RunValue { Type = "string", Value = "3" };
        var status = new WorkflowRunStatus
        {
            Workflow = "train", Run = 1,
            Inputs = new Dictionary<string, RunValue> { ["src"] = Kept, ["factor"] = text },
            Outputs = new Dictionary<string, RunValue> { ["train.model"] = gone, ["train.draft"] = write },
            Jobs = new Dictionary<string, JobStatus> { ["train"] = new() { Inputs = new Dictionary<string, RunValue> { ["src"] = Kept }, Outputs = new Dictionary<string, RunValue> { ["model"] = gone } } },
        };
        var asked = new List<string>();

        var shown = RemovedVersions.Mark(status, id => { asked.Add(id); return id == "raw:aaaaaaa"; });

        Assert.Multiple(() =>
        {
            Assert.That(shown.Inputs["src"].Dataset!.IsRemoved, Is.Null);
            Assert.That(shown.Inputs["factor"], Is.SameAs(text));
            Assert.That(shown.Outputs["train.model"].Dataset!.IsRemoved, Is.True);
            Assert.That(shown.Outputs["train.draft"].Dataset!.IsRemoved, Is.Null, "an output not committed names its write, not a version");
            Assert.That(shown.Outputs.Keys, Is.EqualTo(new[] { "train.model", "train.draft" }), "the file's order is kept");
            Assert.That(shown.Jobs["train"].Outputs["model"].Dataset!.IsRemoved, Is.True);
            Assert.That(asked, Does.Not.Contain("model:ccccccc"));
        });
    }

    [Test]
    public async Task Exists_VersionRemovedFromARealStore_FalseThenForItOnly()
    {
        var root = Directory.CreateTempSubdirectory("gn-removed-").FullName;
        try
        {
            var store = new DatasetStore(root, new FakeTimeProvider(DateTimeOffset.UtcNow));
            store.Create("model", null);
            var first = await CommitAsync(store, "one");
            var second = await CommitAsync(store, "two");

            store.Remove("model", first.Version);

            Assert.Multiple(() =>
            {
                Assert.That(RemovedVersions.Exists(store, first.Id), Is.False);
                Assert.That(RemovedVersions.Exists(store, second.Id), Is.True);
                Assert.That(RemovedVersions.Exists(store, "gone:abcdefg"), Is.False, "a dataset removed whole");
            });
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<DatasetVersion> CommitAsync(DatasetStore store, string text)
    {
        var write = store.BeginWrite("model", null);
        await File.WriteAllTextAsync(Path.Combine(write.ContentPath, "weights.txt"), text);
        return await store.CommitAsync(write, CancellationToken.None);
    }
}
