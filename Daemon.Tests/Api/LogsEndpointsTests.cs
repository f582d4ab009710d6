using System.Runtime.CompilerServices;
using System.Threading.Channels;
using GradientNode.Core.Engine;
using GradientNode.Core.Secrets;
using GradientNode.Daemon.Api;
using GradientNode.Tests.Reconciliation;
using NUnit.Framework;

namespace GradientNode.Tests.Api;

[TestFixture]
[Category("Unit")]
internal sealed class LogsEndpointsTests
{
    [TestCase("enabled: false\n", "  replicas: 2\n", "deployment 'off' has no replicas on this node: it is disabled (enabled: false)")]
    [TestCase("", "  replicas: 0\n", "deployment 'off' has no replicas on this node: it is scaled to 0 (resources.replicas: 0)")]
    [TestCase("", "  replicas: 1\n", "deployment 'off' has no replicas on this node: gradient-node get off says why")]
    public void NoReplicas_KnownDeploymentWithoutContainers_SaysWhyWhenTheSpecSays(string top, string replicas, string expected)
    {
        // newuser12: `logs off` of a disabled deployment said only "has no replicas on this node", as if something were wrong.
        var spec = GradientNode.Core.Specs.SpecParser.Parse("off.yaml", $"apiVersion: v1\nname: off\n{top}image: a:1\nresources:\n  machineType: C4\n  ports: [8080]\n{replicas}").Spec;
        var entry = new GradientNode.Core.Catalog.CatalogEntry("off", "off", "/etc/gradient/specs/off.yaml", spec, GradientNode.Core.Common.EquatableArray<GradientNode.Core.Specs.SpecError>.Empty, GradientNode.Core.Common.EquatableArray<string>.Empty);

        Assert.That(LogsEndpoints.NoReplicas("off", entry), Is.EqualTo(expected));
    }

    [TestCase("enabled: false\n", "  replicas: 2\n", "(deployment 'off' is disabled (enabled: false): waiting for a replica)")]
    [TestCase("", "  replicas: 0\n", "(deployment 'off' is scaled to 0 (resources.replicas: 0): waiting for a replica)")]
    [TestCase("", "  replicas: 1\n", null)]
    public void WaitingNote_KnownDeploymentWithoutContainers_OnlyWhenItRunsNoneOnPurpose(string top, string replicas, string? expected)
    {
        var spec = GradientNode.Core.Specs.SpecParser.Parse("off.yaml", $"apiVersion: v1\nname: off\n{top}image: a:1\nresources:\n  machineType: C4\n  ports: [8080]\n{replicas}").Spec;
        var entry = new GradientNode.Core.Catalog.CatalogEntry("off", "off", "/etc/gradient/specs/off.yaml", spec, GradientNode.Core.Common.EquatableArray<GradientNode.Core.Specs.SpecError>.Empty, GradientNode.Core.Common.EquatableArray<string>.Empty);

        Assert.That(LogsEndpoints.WaitingNote("off", entry), Is.EqualTo(expected));
    }

    [Test]
    public void NoReplicas_FileThatNeverParsed_SaysSoAndWhereTheErrorsAre()
    {
        var entry = new GradientNode.Core.Catalog.CatalogEntry("broken", "broken", "/etc/gradient/specs/broken.yaml", null, GradientNode.Core.Common.EquatableArray<GradientNode.Core.Specs.SpecError>.Empty, GradientNode.Core.Common.EquatableArray<string>.Empty);

        Assert.That(
            LogsEndpoints.NoReplicas("broken", entry),
            Is.EqualTo("deployment 'broken' has no replicas on this node: its spec file has errors and no version of it has run (gradient-node get broken lists them)"));
    }

    [Test]
    public void NoSuchReplica_OthersRun_NamesTheReplicasThereAre()
    {
        // mends17: `logs hello --replica 5` said only "has no replica 5", where other "no such" errors name the choices.
        var at = new DateTimeOffset(2026, 12, 7, 3, 0, 0, TimeSpan.Zero);
        var entry = new GradientNode.Core.Catalog.CatalogEntry("hello", "hello", "/etc/gradient/specs/hello.yaml", null, GradientNode.Core.Common.EquatableArray<GradientNode.Core.Specs.SpecError>.Empty, GradientNode.Core.Common.EquatableArray<string>.Empty);
        var containers = LogsEndpoints.InOrder([Container("c1", "gradient-hello-1-bbbbbb", 1, at), Container("c0old", "gradient-hello-0-aaaaaa", 0, at), Container("c0new", "gradient-hello-0-cccccc", 0, at.AddMinutes(1))]);

        Assert.Multiple(() =>
        {
            Assert.That(LogsEndpoints.NoSuchReplica("hello", 5, containers, entry),
                Is.EqualTo("deployment 'hello' has no replica 5; its replicas are 0, 1 (gradient-node logs hello --replica 0, or without --replica for all of them)"));
            Assert.That(LogsEndpoints.NoSuchReplica("hello", 5, [], entry), Does.StartWith("deployment 'hello' has no replica 5, nor any other on this node: its spec file has errors"));
        });
    }

    [Test]
    public void InOrder_ReplicaIndexes_AsNumbersThenOldestFirst()
    {
        var at = new DateTimeOffset(2026, 12, 7, 3, 0, 0, TimeSpan.Zero);
        var containers = new[]
        {
            Container("c10", "gradient-web-10-aaaaaa", 10, at),
            Container("c2new", "gradient-web-2-cccccc", 2, at.AddMinutes(5)),
            Container("c2old", "gradient-web-2-bbbbbb", 2, at),
            Container("c0", "gradient-web-0-dddddd", 0, at.AddMinutes(9)),
        };

        // Before, the index was compared as text: replica 10 came before replica 2.
        Assert.That(LogsEndpoints.InOrder(containers).Select(c => c.Id), Is.EqualTo(new[] { "c0", "c2old", "c2new", "c10" }));
    }

    [Test]
    public async Task ReadInOrderAsync_ThreeReplicasWhoseLogsAnswerAtDifferentSpeeds_EachContainersLinesTogetherInIndexOrder()
    {
        // newuser10: `logs hello` printed [1] [2] [0] one call and [2] [0] [1] the next: without follow every container
        // was read at once and the lines came out as the engine's streams answered, not "by replica index, then by age"
        // as api.md and cli.md say. Replica 0's log pauses after its first line until replica 2's log is asked for (as it
        // was at once, read all at the same time), or a thousand turns of the thread pool have gone by (read in order).
        var lastAsked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var engine = new RecordingEngine { LogOf = id => LogAsync(id, id == "c0" ? lastAsked.Task : null, id == "c2" ? lastAsked : null) };
        var containers = LogsEndpoints.InOrder(
        [
            Container("c1", "gradient-web-1-bbbbbb", 1, DateTimeOffset.UnixEpoch),
            Container("c0", "gradient-web-0-aaaaaa", 0, DateTimeOffset.UnixEpoch),
            Container("c2", "gradient-web-2-cccccc", 2, DateTimeOffset.UnixEpoch),
        ]);
        var lines = Channel.CreateUnbounded<string>();

        await LogsEndpoints.ReadInOrderAsync(engine, containers, new LogOptions(), LogTags.For(follow: false, containers: 3), new LogMask([]), lines.Writer, CancellationToken.None);
        lines.Writer.Complete();

        var read = new List<string>();
        await foreach (var line in lines.Reader.ReadAllAsync())
        {
            read.Add(line);
        }

        Assert.That(read, Is.EqualTo(new[]
        {
            "[0] c0 line 1", "[0] c0 line 2", "[1] c1 line 1", "[1] c1 line 2", "[2] c2 line 1", "[2] c2 line 2",
        }));
    }

    private static async IAsyncEnumerable<LogLine> LogAsync(string id, Task? pauseUntil, TaskCompletionSource? asked, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        asked?.TrySetResult();
        yield return new LogLine(LogStream.Stdout, $"{id} line 1", null);
        for (var turn = 0; pauseUntil is { IsCompleted: false } && turn < 1000; turn++)
        {
            await Task.Yield();
        }

        cancellationToken.ThrowIfCancellationRequested();
        yield return new LogLine(LogStream.Stdout, $"{id} line 2", null);
    }

    private static ContainerSummary Container(string id, string name, int index, DateTimeOffset created) =>
        new(id, name, "web:1", new Dictionary<string, string> { [ContainerLabels.Replica] = index.ToString(System.Globalization.CultureInfo.InvariantCulture) }, "running", "Up", created);
}
