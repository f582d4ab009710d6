using GradientNode.Daemon.Hosting;
using NUnit.Framework;

namespace GradientNode.Tests.Hosting;

[TestFixture]
[Category("Unit")]
public sealed class MemoryTrimPolicyTests
{
    private const long Mb = 1024 * 1024;

    [Test]
    public void Tick_GrowthThenQuietTick_TrimsOnceUntilTheNextGrowth()
    {
        var policy = new MemoryTrimPolicy(growthBytes: 16 * Mb, quietBytes: 4 * Mb, quietTicks: 1);

        Assert.That(policy.Tick(allocatedTotal: 0, workingSet: 90 * Mb), Is.False, "the first tick only takes the counters");
        Assert.That(policy.Tick(20 * Mb, 120 * Mb), Is.False, "grown, but busy");
        Assert.That(policy.Tick(40 * Mb, 140 * Mb), Is.False, "busy");
        Assert.That(policy.Tick(41 * Mb, 140 * Mb), Is.True, "quiet after growing by 50 MB");
        policy.Trimmed(120 * Mb);
        Assert.That(policy.Tick(42 * Mb, 120 * Mb), Is.False, "quiet, not grown since the trim");
        Assert.That(policy.Tick(43 * Mb, 130 * Mb), Is.False, "10 MB more is not a burst");
        Assert.That(policy.Tick(83 * Mb, 140 * Mb), Is.False, "the next burst");
        Assert.That(policy.Tick(84 * Mb, 140 * Mb), Is.True, "quiet after it");
    }

    [Test]
    public void Tick_SteadyTrafficWhileGrown_NeverTrims()
    {
        var policy = new MemoryTrimPolicy(growthBytes: 16 * Mb, quietBytes: 4 * Mb, quietTicks: 1);
        policy.Tick(0, 90 * Mb);
        for (var i = 1; i <= 100; i++)
        {
            Assert.That(policy.Tick(i * 5 * Mb, 150 * Mb), Is.False, $"tick {i}: every tick allocates more than the quiet bound");
        }
    }

    [Test]
    public void Tick_QuietWithoutGrowth_NeverTrims()
    {
        var policy = new MemoryTrimPolicy(growthBytes: 16 * Mb, quietBytes: 4 * Mb, quietTicks: 1);
        for (var i = 0; i < 100; i++)
        {
            Assert.That(policy.Tick(i * Mb, (95 + (i % 10)) * Mb), Is.False, $"tick {i}: a working set that moves by 10 MB is not grown");
        }
    }

    [Test]
    public void Tick_TrimThatGaveNothingBack_IsNotRepeated()
    {
        var policy = new MemoryTrimPolicy(growthBytes: 16 * Mb, quietBytes: 4 * Mb, quietTicks: 1);
        policy.Tick(0, 90 * Mb);
        Assert.That(policy.Tick(1 * Mb, 130 * Mb), Is.True);
        policy.Trimmed(130 * Mb);
        for (var i = 2; i < 50; i++)
        {
            Assert.That(policy.Tick(i * Mb, 130 * Mb), Is.False, $"tick {i}: the working set stayed where the trim left it");
        }
    }

    [Test]
    public void Tick_ThreeQuietTicksWanted_TrimsOnlyAfterThreeInARow()
    {
        var policy = new MemoryTrimPolicy(growthBytes: 16 * Mb, quietBytes: 4 * Mb, quietTicks: 3);
        policy.Tick(0, 90 * Mb);

        Assert.That(policy.Tick(50 * Mb, 150 * Mb), Is.False, "busy");
        Assert.That(policy.Tick(51 * Mb, 150 * Mb), Is.False, "quiet 1");
        Assert.That(policy.Tick(52 * Mb, 150 * Mb), Is.False, "quiet 2");
        Assert.That(policy.Tick(62 * Mb, 150 * Mb), Is.False, "busy again (tiered re-compiling after the burst): the count starts over");
        Assert.That(policy.Tick(63 * Mb, 150 * Mb), Is.False, "quiet 1");
        Assert.That(policy.Tick(64 * Mb, 150 * Mb), Is.False, "quiet 2");
        Assert.That(policy.Tick(65 * Mb, 150 * Mb), Is.True, "quiet 3");
    }
}
