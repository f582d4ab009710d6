using GradientNode.Core.Status;
using GradientNode.Daemon.Cli;
using NUnit.Framework;

namespace GradientNode.Tests.Cli;

/// <summary><c>ls -o wide</c>: its columns and the CHANGED age.</summary>
internal sealed partial class StatusPrinterTests
{
    [Test]
    public void WideTable_DeploymentWithGpuReplicas_AddsImageRestartsGpusAndLastChangeToTheLsColumns()
    {
        var replica = new ReplicaStatus
        {
            Id = "hello-0", Index = 0, Container = "gradient-hello-0-abc123", ContainerId = "c0", State = "running", Ready = true, SpecHash = "h",
            Restarts = 2, Gpus = ["GPU-1", "GPU-2"], History = [new ReplicaEvent("ready", null, Now.AddMinutes(-5))],
        };
        var status = Status() with
        {
            State = DeploymentState.Ready, Message = "1/1 replicas ready", ReadyReplicas = 1, DesiredReplicas = 1, Image = "ns/hello:2",
            Endpoint = "http://hello.localhost:8080/", Replicas = [replica], ObservedAt = Now,
        };
        using var output = new StringWriter { NewLine = "\n" };

        StatusPrinter.WideTable(output, [status, Status() with { Name = "idle", Image = null }], Now);

        Assert.That(output.ToString(), Is.EqualTo(
            "NAME   STATE        READY  IMAGE       RESTARTS  GPUS  CHANGED  ENDPOINT                      MESSAGE\n" +
            "hello  Ready        1/1    ns/hello:2  2         2     5m       http://hello.localhost:8080/  1/1 replicas ready\n" +
            "idle   Progressing  0/1    -           0         0     -        -                             0/1 replicas ready\n"));
    }

    [Test]
    public void WideTable_NoHistoryAfterADaemonRestart_ChangedFromTheContainersStateChange()
    {
        var replica = new ReplicaStatus
        {
            Id = "hello-0", Index = 0, Container = "gradient-hello-0-abc123", ContainerId = "c0", State = "running", Ready = true, SpecHash = "h",
            StateChangedAt = Now.AddHours(-3),
        };
        var newer = replica with { Index = 1, Id = "hello-1", StateChangedAt = Now.AddMinutes(-7), History = [new ReplicaEvent("ready", null, Now.AddMinutes(-30))] };
        using var restarted = new StringWriter { NewLine = "\n" };
        using var both = new StringWriter { NewLine = "\n" };

        StatusPrinter.WideTable(restarted, [Status() with { Replicas = [replica], ObservedAt = Now }], Now);
        StatusPrinter.WideTable(both, [Status() with { Replicas = [replica, newer], ObservedAt = Now }], Now);

        Assert.Multiple(() =>
        {
            Assert.That(restarted.ToString().Split('\n')[1], Does.Match(@"\s3h\s"), "before, '-' until something changed after the restart");
            Assert.That(both.ToString().Split('\n')[1], Does.Match(@"\s7m\s"), "the latest of the history and the containers' times");
        });
    }

    [Test]
    public void WideTable_StatusObservedBeforeNow_ChangedCountsToNow()
    {
        // The daemon sets observedAt only when a status changes: a deployment at rest keeps an old one.
        var replica = new ReplicaStatus
        {
            Id = "hello-0", Index = 0, Container = "gradient-hello-0-abc123", ContainerId = "c0", State = "running", Ready = true, SpecHash = "h",
            StateChangedAt = Now.AddMinutes(-12), History = [new ReplicaEvent("ready", null, Now.AddMinutes(-11))],
        };
        using var output = new StringWriter { NewLine = "\n" };

        StatusPrinter.WideTable(output, [Status() with { Replicas = [replica], ObservedAt = Now.AddMinutes(-11) }], Now);

        Assert.That(output.ToString().Split('\n')[1], Does.Match(@"\s11m\s"), "before, 0s: the age was taken at observedAt");
    }
}
