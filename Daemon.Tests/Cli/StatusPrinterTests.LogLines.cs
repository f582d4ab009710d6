using GradientNode.Core.Status;
using GradientNode.Daemon.Cli;
using NUnit.Framework;

namespace GradientNode.Tests.Cli;

/// <summary><c>get NAME</c> of a crash loop: why the replica exits, not only its exit code.</summary>
internal sealed partial class StatusPrinterTests
{
    [Test]
    public void Details_CrashLoopingReplicaWithLastLogLines_PrintsTheLastFiveUnderTheTable()
    {
        // Before: "exited with code 1" and nothing of why; the lines were only in -o json (lastLogLines).
        var crashing = new ReplicaStatus
        {
            Id = "crash-0", Index = 0, Container = "gradient-crash-0-641d1a", ContainerId = "c0", State = "exited", Ready = false, SpecHash = "h",
            LastExitCode = 1, StateMessage = "exited with code 1",
            LastLogLines = ["1", "2", "3", "starting up", "loading /etc/app.conf", "fatal: cannot read /etc/app.conf"],
        };
        var ready = new ReplicaStatus
        {
            Id = "crash-1", Index = 1, Container = "gradient-crash-1-a", ContainerId = "c1", State = "running", Ready = true, SpecHash = "h",
            LastLogLines = ["an exit long ago"],
        };
        using var output = new StringWriter();

        StatusPrinter.Details(output, Status() with { Name = "crash", Slug = "crash", Replicas = [crashing, ready] });

        var text = output.ToString();
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain(
                "Last log lines of crash-0 (its last exited container; gradient-node logs crash --replica 0 for more):\n"
                + "  2\n  3\n  starting up\n  loading /etc/app.conf\n  fatal: cannot read /etc/app.conf\n"));
            Assert.That(text, Does.Not.Contain("  1\n"), "the last five only");
            Assert.That(text, Does.Not.Contain("an exit long ago"), "a ready replica's old lines are not shown");
        });
    }
}
