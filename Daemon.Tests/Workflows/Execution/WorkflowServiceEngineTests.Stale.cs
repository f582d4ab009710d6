using GradientNode.Core.Engine;
using GradientNode.Core.Workflows.Execution;
using GradientNode.Core.Workflows.Runs;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Execution;

/// <summary>
/// Job containers left behind (an older version's engine-outage bug, a failed removal) are removed at start and when a
/// run ends, logged (5173): those of ended runs and of runs whose folder is gone; never one of a running run, of a run
/// whose record cannot be read, or without this node's labels. Before, nothing removed them.
/// </summary>
internal sealed partial class WorkflowServiceEngineTests
{
    [Test]
    public async Task Start_StaleJobContainersOfEndedAndDeletedRuns_RemovedAndLoggedOthersLeftAlone()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        var store = new WorkflowRunStore(_state);
        var ended = store.Create(Plan("w", Quick), Quick, null, DateTimeOffset.UtcNow);
        store.Save(ended with { Status = ended.Status with { Phase = WorkflowPhase.Succeeded, Finished = DateTimeOffset.UtcNow } });
        var damaged = store.Create(Plan("w", Quick), Quick, null, DateTimeOffset.UtcNow);
        await File.WriteAllTextAsync(Path.Combine(store.RunDir("w", damaged.Status.Run), "run.json"), "{\"plan\":");
        var ofEnded = await LeftBehindAsync(engine, _node, "w", ended.Status.Run);
        var ofDeleted = await LeftBehindAsync(engine, _node, "gone", 7);
        var ofDamaged = await LeftBehindAsync(engine, _node, "w", damaged.Status.Run);
        var otherNodes = await LeftBehindAsync(engine, _node + "-other", "gone", 7);
        var unlabelled = await LeftBehindAsync(engine, null, "gone", 7);
        using var logs = new RecordingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs));
        try
        {
            var service = await StartServiceAsync(engine, loggers: loggers);
            var running = await StartRunAsync(service, "long", Sleeper); // returns once the start's clean-up is done
            await TestTimeouts.WaitUntilAsync(() => Task.FromResult(service.Get("long", running.Status.Run)!.Status.Jobs["sleep"].Phase == WorkflowPhase.Running), TestTimeouts.Container, "the long job to run");
            var alive = (await engine.ListContainersAsync([$"{ContainerLabels.Node}={_node}", $"{ContainerLabels.Workflow}=long"], CancellationToken.None)).Single().Id;
            var quick = await RunAsync(service, "quick", Quick); // a run that ends: the sweep again, with a run running
            var left = (await engine.ListContainersAsync([], CancellationToken.None)).Select(c => c.Id).ToHashSet();
            service.Cancel("long", running.Status.Run);
            await WaitFinishedAsync(service, "long", running.Status.Run);
            await service.StopAsync(CancellationToken.None);

            var removed = logs.Entries.Where(e => e.Message.StartsWith("removed job container ", StringComparison.Ordinal)).Select(e => e.Message).ToList();
            Assert.Multiple(() =>
            {
                Assert.That(quick.Phase, Is.EqualTo(WorkflowPhase.Succeeded), quick.Message);
                Assert.That(left, Does.Not.Contain(ofEnded.Id), "its run ended");
                Assert.That(left, Does.Not.Contain(ofDeleted.Id), "its run folder is gone");
                Assert.That(left, Does.Contain(ofDamaged.Id), "its run's record cannot be read: left as it is");
                Assert.That(left, Does.Contain(alive), "its run is running");
                Assert.That(left, Does.Contain(otherNodes.Id), "another node's");
                Assert.That(left, Does.Contain(unlabelled.Id), "without the node's label");
                Assert.That(removed, Has.Count.EqualTo(2), string.Join("\n", removed));
                Assert.That(removed, Has.Some.EqualTo($"removed job container {ofEnded.Name} (workflow w run {ended.Status.Run}, job train) left behind: its run ended SUCCEEDED"));
                Assert.That(removed, Has.Some.EqualTo($"removed job container {ofDeleted.Name} (workflow gone run 7, job train) left behind: its run folder is gone (the run was deleted)"));
            });
        }
        finally
        {
            foreach (var (id, _) in new[] { ofDamaged, otherNodes, unlabelled })
            {
                await engine.RemoveContainerAsync(id, force: true, CancellationToken.None);
            }
        }
    }

    private const string Quick = $$"""
        jobs:
          train:
            uses: container@v1
            with: {image: {{Image}}, args: [sh, -c, "true"]}
        """;

    private const string Sleeper = $$"""
        jobs:
          sleep:
            uses: container@v1
            with: {image: {{Image}}, args: [sh, -c, "sleep 60"]}
        """;

    /// <summary>A created container as an older version left it, with the job labels of <paramref name="node"/> (none when null); its id and name.</summary>
    private static async Task<(string Id, string Name)> LeftBehindAsync(IContainerEngine engine, string? node, string workflow, int run)
    {
        var labels = ContainerJobExecutor.Labels(node ?? "x", workflow, run, "train");
        if (node is null)
        {
            labels.Remove(ContainerLabels.Node);
        }

        var name = $"gn-stale-{Guid.NewGuid():N}"[..21];
        var id = await engine.CreateContainerAsync(
            new ContainerCreateRequest { Name = name, Image = Image, Entrypoint = ["true"], Labels = labels },
            CancellationToken.None);
        return (id, name);
    }
}
