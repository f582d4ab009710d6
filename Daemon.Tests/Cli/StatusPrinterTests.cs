using GradientNode.Core.Gpus;
using GradientNode.Core.Status;
using GradientNode.Daemon.Cli;
using NUnit.Framework;

namespace GradientNode.Tests.Cli;

[TestFixture]
[Category("Unit")]
internal sealed partial class StatusPrinterTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void Details_WhilePulling_PrintsPullLine()
    {
        var pull = new PullStatus { Image = "ns/hello:2", LayersDone = 3, LayersTotal = 7, BytesDone = 12_300_000, BytesTotal = 45_600_000, StartedAt = Now.AddSeconds(-14) };
        using var output = new StringWriter();

        StatusPrinter.Details(output, Status() with { Pull = pull });

        Assert.That(output.ToString(), Does.Contain("\nPull:      ns/hello:2 12.3 MB of 45.6 MB (3/7 layers), 14s so far\n"));
    }

    [Test]
    public void Details_PullWithNoProgressSinceTheStatus_SoFarCountsToNow()
    {
        var pull = new PullStatus { Image = "ns/hello:2", LayersDone = 3, LayersTotal = 7, BytesDone = 12_300_000, BytesTotal = 45_600_000, StartedAt = Now.AddSeconds(-74) };
        using var output = new StringWriter();

        StatusPrinter.Details(output, Status() with { Pull = pull, ObservedAt = Now.AddSeconds(-60) }, now: Now);

        // Before: "14s so far", counted to observedAt, which a stalled pull no longer moves.
        Assert.That(output.ToString(), Does.Contain(", 74s so far\n"));
    }

    [Test]
    public void Details_WithVolumes_ListsEachWithMountStateAndSize()
    {
        // Before: integrations, models and datasets of a deployment showed only in -o json.
        var volumes = new[]
        {
            new VolumeStatus { Field = "integrations[weights]", Kind = "s3", MountPath = "/opt/data/weights", ReadOnly = true, State = "ready", DiskBytes = 13_476_839_424, FilesDone = 4, FilesTotal = 4 },
            new VolumeStatus { Field = "integrations[code]", Kind = "git", MountPath = "/opt/code", ReadOnly = false, State = "failed", Message = "clone failed: repository not found" },
        };
        using var output = new StringWriter { NewLine = "\n" };

        StatusPrinter.Details(output, Status() with { Volumes = volumes });

        Assert.That(output.ToString(), Does.Contain(
            "\nVOLUME                 KIND  MOUNT                          STATE   SIZE               MESSAGE\n" +
            "integrations[weights]  s3    /opt/data/weights (read-only)  ready   12.6 GiB, 4 files\n" +
            "integrations[code]     git   /opt/code                      failed  -                  clone failed: repository not found\n"));
    }

    [Test]
    public void Details_ModelFromTheNodesStoreMountedWithoutAFetch_ShowsItsSizeWithoutAFileCount()
    {
        // A legacy model from `models add`: nothing is fetched, so the fetch's file counters stay 0.
        var volumes = new[] { new VolumeStatus { Field = "models[model-id]", Kind = "model", MountPath = "/opt/models/model-id", ReadOnly = true, State = "ready", DiskBytes = 8 } };
        using var output = new StringWriter { NewLine = "\n" };

        StatusPrinter.Details(output, Status() with { Volumes = volumes });

        // Before: "8 bytes, 0 files" for a model of one file.
        Assert.That(output.ToString(), Does.Contain("\nmodels[model-id]  model  /opt/models/model-id (read-only)  ready  8 bytes\n"));
    }

    [Test]
    public void Details_ReplicaStoppedByTheNode_ItsLineSaysWhy()
    {
        var stopped = new ReplicaStatus
        {
            Id = "hello-0", Index = 0, Container = "gradient-hello-0-abc123", ContainerId = "c0", State = "exited", Ready = false, SpecHash = "h",
            Restarts = 1, LastExitCode = 0, StateMessage = "stopped by the node: liveness probe failed 3 times in a row",
        };
        using var output = new StringWriter { NewLine = "\n" };

        StatusPrinter.Details(output, Status() with { Replicas = [stopped] });

        Assert.That(output.ToString(), Does.EndWith(
            "\nINSTANCE  CONTAINER                STATE   READY  RESTARTS  LAST EXIT  ADDRESS  MESSAGE\n" +
            "hello-0   gradient-hello-0-abc123  exited  no     1         0          -        stopped by the node: liveness probe failed 3 times in a row\n"));
    }

    [Test]
    public void Details_AutoscaledReplicasWaitingForGpus_SaysHowManyItWantsAndHowManyRun()
    {
        // Before: "running 2" while no container ran (the count it wanted, read as the count that ran).
        var autoscaling = new AutoscalingStatus { MinReplicas = 2, MaxReplicas = 5, DesiredReplicas = 2, Recommendation = 2 };
        using var waiting = new StringWriter { NewLine = "\n" };
        using var running = new StringWriter { NewLine = "\n" };
        var replica = new ReplicaStatus { Id = "hello-0", Index = 0, Container = "gradient-hello-0-a", ContainerId = "c0", State = "running", Ready = true, SpecHash = "h" };

        StatusPrinter.Details(waiting, Status() with { Autoscaling = autoscaling, DesiredReplicas = 2 });
        StatusPrinter.Details(running, Status() with { Autoscaling = autoscaling with { DesiredReplicas = 1, Recommendation = 1, MinReplicas = 1 }, Replicas = [replica] });

        Assert.Multiple(() =>
        {
            Assert.That(waiting.ToString(), Does.Contain("Autoscale: 2..5 replicas, wants 2 (0 running), recommends 2\n"));
            Assert.That(running.ToString(), Does.Contain("Autoscale: 1..5 replicas, wants 1, recommends 1\n"));
        });
    }

    [Test]
    public void Details_RequestDurationIdle_SaysIdleBesideTheZero()
    {
        var autoscaling = new AutoscalingStatus
        {
            MinReplicas = 1, MaxReplicas = 3, DesiredReplicas = 1, Recommendation = 1,
            Metrics = [new AutoscalingMetricStatus("requestDuration", 0.2, 0, 0, false, 0), new AutoscalingMetricStatus("cpu", 50, 0, 0, false, 0)],
        };
        using var output = new StringWriter { NewLine = "\n" };

        StatusPrinter.Details(output, Status() with { Autoscaling = autoscaling });

        Assert.That(output.ToString(), Does.Contain(
            "  requestDuration: 0 s (short window 0 s, idle: no request completed in the last 10 s and none in flight), target 0.2 s, proposes 0\n" +
            "           cpu: 0 % (short window 0 %), target 50 %, proposes 0\n"));
    }

    [Test]
    public void Details_ReplicaMessageLongerThanTheColumnWithLineBreaks_OneLineCutTo100ColumnsAndTheStateLineWhole()
    {
        var message = "engine refused the container:\n" + string.Concat(Enumerable.Repeat("a long engine answer ", 10));
        var replica = new ReplicaStatus { Id = "hello-0", Index = 0, Container = "c", ContainerId = "c0", State = "created", Ready = false, SpecHash = "h", StateMessage = message };
        using var output = new StringWriter { NewLine = "\n" };

        StatusPrinter.Details(output, Status() with { Message = message, Replicas = [replica] });

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var row = lines[^1];
        var cell = row[row.IndexOf("engine refused", StringComparison.Ordinal)..];
        Assert.Multiple(() =>
        {
            Assert.That(row, Does.StartWith("hello-0"), "the replica's row is one line: " + output);
            Assert.That(DisplayWidth.Of(cell), Is.EqualTo(MessageColumn.MaxWidth));
            Assert.That(cell, Does.StartWith("engine refused the container: a long engine answer").And.EndWith("…"));
            Assert.That(output.ToString(), Does.Contain("a long engine answer a long engine answer \n").Or.Contain("a long engine answer a long engine answer\n"), "the State: line keeps the whole message");
        });
    }

    [Test]
    public void Details_RunsTheLocalImageAfterAFailedPull_PrintsTheWarning()
    {
        using var output = new StringWriter { NewLine = "\n" };

        StatusPrinter.Details(output, Status() with { Warnings = ["could not pull from registry 127.0.0.1:5000 (containerRegistry 'private'), so the image already on this node runs: connection refused"] });

        Assert.That(output.ToString(), Does.Contain("\nWarnings:\n  could not pull from registry 127.0.0.1:5000 (containerRegistry 'private'), so the image already on this node runs: connection refused\n"));
    }

    [Test]
    public void Details_NotPulling_PrintsNoPullLine()
    {
        using var output = new StringWriter();

        StatusPrinter.Details(output, Status());

        Assert.That(output.ToString(), Does.Not.Contain("Pull:"));
    }

    [Test]
    public void Details_ProtectedOrOpen_SaysWhichAfterTheEndpoint()
    {
        using var open = new StringWriter();
        using var protectedOne = new StringWriter();

        StatusPrinter.Details(open, Status());
        StatusPrinter.Details(protectedOne, Status() with { BasicAuthSecret = "web_password" });

        Assert.Multiple(() =>
        {
            Assert.That(open.ToString(), Does.Contain("\nAuth:      none (open to anyone who reaches the endpoint)\n"));
            Assert.That(protectedOne.ToString(), Does.Contain("\nAuth:      basic auth, user paperspace, the password in secret 'web_password'\n"));
        });
    }

    [Test]
    public void Table_TerminalWidth_CutsTheMessageToTheLineAndKeepsTheOtherColumns()
    {
        var message = "0/1 ready: replica 0 exited with code 3; restarting in 7s (last log line: " + new string('x', 80) + ")";
        using var output = new StringWriter();

        StatusPrinter.Table(output, [Status() with { State = DeploymentState.Ready, ReadyReplicas = 1, Endpoint = "http://hello.localhost:8080/", Message = message }], width: 80);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Multiple(() =>
        {
            Assert.That(lines, Has.All.Matches<string>(l => DisplayWidth.Of(l) <= 80), output.ToString());
            Assert.That(lines[1], Does.StartWith("hello  Ready  1/1    http://hello.localhost:8080/  0/1 ready: replica 0"));
            Assert.That(lines[1], Does.EndWith("…"));
        });
    }

    [TestCase(null)]
    [TestCase(40)]
    public void Table_NoTerminalOrOneTooNarrow_PrintsAMessageUpToTheMaximumWhole(int? width)
    {
        var message = "a message longer than any of the columns before it, " + new string('y', 40);
        using var output = new StringWriter();

        StatusPrinter.Table(output, [Status() with { Message = message }], width);

        Assert.That(output.ToString(), Does.Contain(message + "\n"));
    }

    [TestCase(null)]
    [TestCase(40)]
    [TestCase(300)]
    public void Table_UnknownMachineTypeInAPipeOrOnAnyTerminal_OneLineThatNeverWrapsA120ColumnTerminalByItself(int? width)
    {
        var message = MachineTypeTable.BuiltIn.Unknown("A10O")!;
        var broken = "2 errors; nothing runs:\nweb.yaml:3:5: image: required\nweb.yaml:9:1: unknown field 'x'";
        using var output = new StringWriter();

        StatusPrinter.Table(output, [Status() with { Name = "gpu", Message = message }, Status() with { Name = "broken", Message = broken }], width);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var cell = lines[1][(lines[1].IndexOf("resources.", StringComparison.Ordinal))..];
        Assert.Multiple(() =>
        {
            Assert.That(lines, Has.Length.EqualTo(3), "one line per deployment: " + output);
            Assert.That(DisplayWidth.Of(cell), Is.EqualTo(MessageColumn.MaxWidth), "cut to the maximum, which a 120-column terminal holds");
            Assert.That(cell, Does.StartWith("resources.machineType 'A10O' is not a known machine type; did you mean 'A100'?"), "the hint before the cut");
            Assert.That(cell, Does.EndWith("…"));
            Assert.That(lines[2], Does.EndWith("  2 errors; nothing runs: web.yaml:3:5: image: required web.yaml:9:1: unknown field 'x'"), "line breaks become spaces");
        });
    }

    [Test]
    public void Yaml_WithReplicas_KeepsTheWireNameInstances()
    {
        var replica = new ReplicaStatus { Id = "hello-0", Index = 0, Container = "c", ContainerId = "id", State = "running", Ready = true, SpecHash = "h" };

        var yaml = StatusPrinter.Yaml(Status() with { Replicas = [replica] });

        Assert.That(yaml, Does.Contain("\ninstances:\n"));
        Assert.That(yaml, Does.Not.Contain("replicas:"));
    }

    [Test]
    public void Yaml_ObservedAt_OneTimestampAsInTheJsonNotItsProperties()
    {
        // Before: YamlDotNet wrote the DateTimeOffset's properties (dateTime, dayOfWeek, ticks, ...) under observedAt.
        var yaml = StatusPrinter.Yaml(Status() with { ObservedAt = new DateTimeOffset(2026, 12, 4, 4, 26, 40, TimeSpan.Zero) });

        Assert.That(yaml, Does.Contain("\nobservedAt: 2026-12-04T04:26:40+00:00\n"));
        Assert.That(yaml, Does.Not.Contain("dayOfWeek").And.Not.Contain("ticks"));
    }

    [Test]
    public void WriteColumns_CellsOfDifferentWidths_AlignsEveryColumnAndTrimsTheLast()
    {
        var output = new StringWriter { NewLine = "\n" };

        StatusPrinter.WriteColumns(output, [["NAME", "MODIFIED"], ["pw", "2026-12-03 08:58:56Z"], ["viaStdin", "2026-12-03 09:31:46Z"]]);

        Assert.That(output.ToString(), Is.EqualTo("NAME      MODIFIED\npw        2026-12-03 08:58:56Z\nviaStdin  2026-12-03 09:31:46Z\n"));
    }

    [Test]
    public void WriteColumns_WideAndCombiningCharactersInNames_AlignsByTerminalColumns()
    {
        var output = new StringWriter { NewLine = "\n" };

        // 日本語 takes 6 columns, ✨ 2, and e + U+0301 (combining acute) 1: padded by columns, not UTF-16 length.
        StatusPrinter.WriteColumns(output, [["NAME", "STATE"], ["日本語 app", "Ready"], ["Cafe\u0301 ✨", "Ready"], ["auto", "Ready"]]);

        Assert.That(output.ToString(), Is.EqualTo("NAME        STATE\n日本語 app  Ready\nCafe\u0301 ✨     Ready\nauto        Ready\n"));
    }

    private static DeploymentStatus Status() => new()
    {
        Name = "hello",
        Slug = "hello",
        State = DeploymentState.Progressing,
        Message = "0/1 replicas ready",
        DesiredReplicas = 1,
        Image = "ns/hello:2",
        ObservedAt = Now,
    };
}
