using GradientNode.Daemon.Api;
using NUnit.Framework;

namespace GradientNode.Tests.Api;

[TestFixture]
[Category("Unit")]
internal sealed class WorkflowLogsEndpointTests
{
    [Test]
    public void KeptLines_ProgressBarWithCarriageReturns_OneLineWithTheCarriageReturnsKept()
    {
        var lines = WorkflowLogsEndpoint.KeptLines("epoch 1\n10%\r20%\r30%\ndone\n");

        Assert.That(lines, Is.EqualTo(new[] { "epoch 1", "10%\r20%\r30%", "done" }));
    }

    [Test]
    public void KeptLines_LastLineWithoutNewline_Kept()
    {
        Assert.That(WorkflowLogsEndpoint.KeptLines("a\nb"), Is.EqualTo(new[] { "a", "b" }));
    }

    [Test]
    public void KeptLines_Empty_NoLines()
    {
        Assert.That(WorkflowLogsEndpoint.KeptLines(string.Empty), Is.Empty);
    }

    [Test]
    public void KeptLines_EmptyLinesInside_Kept()
    {
        Assert.That(WorkflowLogsEndpoint.KeptLines("a\n\nb\n"), Is.EqualTo(new[] { "a", string.Empty, "b" }));
    }
}
