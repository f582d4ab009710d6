using GradientNode.Daemon.Hosting;
using NUnit.Framework;

namespace GradientNode.Tests.Hosting;

[TestFixture]
[Category("Unit")]
public sealed class MemoryTrimPolicyTests
{
    private const long Mb = 1024 * 1024;

    [Test]
    public void Tick_BurstThenQuietTick_TrimsOnceUntilTheNextBurst()
    {
        var policy = new MemoryTrimPolicy(workBytes: 64 * Mb, quietBytes: 2 * Mb);

        Assert.That(policy.Tick(0), Is.False, "the first tick only takes the counter");
        Assert.That(policy.Tick(40 * Mb), Is.False, "busy");
        Assert.That(policy.Tick(80 * Mb), Is.False, "busy");
        Assert.That(policy.Tick(81 * Mb), Is.True, "quiet after 81 MB of work");
        Assert.That(policy.Tick(82 * Mb), Is.False, "quiet, but nothing was done since the trim");
        Assert.That(policy.Tick(83 * Mb), Is.False);
        Assert.That(policy.Tick(183 * Mb), Is.False, "the next burst");
        Assert.That(policy.Tick(183 * Mb), Is.True, "quiet after it");
    }

    [Test]
    public void Tick_SteadyTraffic_NeverTrims()
    {
        var policy = new MemoryTrimPolicy(workBytes: 64 * Mb, quietBytes: 2 * Mb);
        var total = 0L;
        for (var i = 0; i < 100; i++)
        {
            total += 3 * Mb;
            Assert.That(policy.Tick(total), Is.False, $"tick {i}: every tick allocates more than the quiet bound");
        }
    }

    [Test]
    public void Tick_IdleNodeWithSmallAllocations_NeverTrims()
    {
        var policy = new MemoryTrimPolicy(workBytes: 64 * Mb, quietBytes: 2 * Mb);
        var total = 10 * Mb;
        for (var i = 0; i < 20; i++)
        {
            total += Mb;
            Assert.That(policy.Tick(total), Is.False, $"tick {i}: 20 MB in all is not a burst");
        }
    }

    [Test]
    public void Tick_StartupAllocationsAndThenQuiet_CountAsABurst()
    {
        var policy = new MemoryTrimPolicy(workBytes: 64 * Mb, quietBytes: 2 * Mb);

        Assert.That(policy.Tick(100 * Mb), Is.False);
        Assert.That(policy.Tick(100 * Mb), Is.True, "what the process allocated before the first tick is work too");
    }
}
