using GradientNode.Daemon.Hosting;
using NUnit.Framework;

namespace GradientNode.Tests.Hosting;

[TestFixture]
[Category("Unit")]
internal sealed class StopSummaryTests
{
    [Test]
    public void Line_ReplicasAndAnUnfinishedRun_SaysTheyKeepRunningAndWhoAdoptsThem()
    {
        Assert.Multiple(() =>
        {
            Assert.That(StopSummary.Line("up", "lab1", 2, 1), Is.EqualTo(
                "gradient-node up: stopped; 2 replicas and 1 unfinished workflow run keep running in the engine, and the next start of node 'lab1' adopts them (stopping the node never stops them; gradient-node delete and workflows cancel do)"));
            Assert.That(StopSummary.Line("daemon", "default", 0, 1), Does.StartWith("gradient-node daemon: stopped; 1 unfinished workflow run keeps running in the engine, and the next start of node 'default' adopts it "));
            Assert.That(StopSummary.Line("up", "default", 0, 0), Is.EqualTo("gradient-node up: stopped"));
        });
    }
}
