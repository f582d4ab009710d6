using GradientNode.Proxy.Metrics;
using NUnit.Framework;

namespace GradientNode.Tests.Proxy.Metrics;

[TestFixture]
[Category("Unit")]
internal sealed class DurationQuantileWindowTests
{
    private static long Ticks(double seconds) => (long)(seconds * TimeSpan.TicksPerSecond);

    [Test]
    public void Quantiles_NothingRecorded_AreNull()
    {
        Assert.That(new DurationQuantileWindow().Quantiles(1000), Is.EqualTo(((double?)null, (double?)null)));
    }

    [Test]
    public void Quantiles_SixSlotsOfTheLastMinute_AreMerged()
    {
        var window = new DurationQuantileWindow();
        for (var second = 1000; second < 1060; second++)
        {
            window.Add(second, Ticks(second < 1010 ? 1 : 0.01));
        }

        var (p50, p99) = window.Quantiles(1059);

        // 50 requests of 10 ms in the five newest slots, 10 of 1 s in the oldest: p99 is 1 s only if that slot counts.
        Assert.That(p50, Is.EqualTo(0.01).Within(12.5).Percent);
        Assert.That(p99, Is.EqualTo(1).Within(12.5).Percent);
    }

    [Test]
    public void Quantiles_RecordsOlderThanSixSlots_AreLeftOut()
    {
        var window = new DurationQuantileWindow();
        window.Add(1000, Ticks(5));
        window.Add(1065, Ticks(0.05));

        Assert.That(window.Quantiles(1065).P99, Is.EqualTo(0.05).Within(12.5).Percent);
        Assert.That(window.Quantiles(1129).P99, Is.Null);
    }

    [Test]
    public void Add_SlotComesRoundAgain_ClearsItsOldCounts()
    {
        var window = new DurationQuantileWindow();
        window.Add(1000, Ticks(5));
        window.Add(1000 + (DurationQuantileWindow.Slots * DurationQuantileWindow.SlotSeconds), Ticks(0.05));

        var (p50, p99) = window.Quantiles(1000 + (DurationQuantileWindow.Slots * DurationQuantileWindow.SlotSeconds));

        Assert.That(p50, Is.EqualTo(0.05).Within(12.5).Percent);
        Assert.That(p99, Is.EqualTo(0.05).Within(12.5).Percent, "the 5 s request six slots back shares the slot and was cleared");
    }
}
