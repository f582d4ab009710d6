using GradientNode.Core.Reconciliation;
using GradientNode.Core.Status;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

/// <summary>How a stopped replica's end reads: an exit code, or the kernel's out-of-memory kill.</summary>
internal sealed partial class StatusBuilderTests
{
    [Test]
    public void Build_ReplicaKilledOutOfMemory_DegradedSaysOutOfMemory()
    {
        var oom = Exited(1, Hash, 137) with { OomKilled = true };

        var status = StatusBuilder.Build(Input(Entry(Spec), new DesiredReplicas(2, Hash), [Live(0, Hash), oom]));

        Assert.Multiple(() =>
        {
            Assert.That(status.State, Is.EqualTo(DeploymentState.Degraded));
            Assert.That(status.Message, Does.StartWith(
                "1/2 ready: replica 1 was killed: out of memory (exit code 137; the container went over the memory of its machine type)"));
            Assert.That(StatusBuilder.Lifecycle(oom), Is.EqualTo(("failed", "killed: out of memory (exit code 137; the container went over the memory of its machine type)")));
        });
    }

    [Test]
    public void Lifecycle_ExitedWithoutOom_ExitCode() =>
        Assert.That(StatusBuilder.Lifecycle(Exited(1, Hash, 3)), Is.EqualTo(("failed", "exited with code 3")));
}
