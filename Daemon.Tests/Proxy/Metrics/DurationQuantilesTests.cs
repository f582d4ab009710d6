using GradientNode.Proxy.Metrics;
using NUnit.Framework;

namespace GradientNode.Tests.Proxy.Metrics;

[TestFixture]
[Category("Unit")]
internal sealed class DurationQuantilesTests
{
    private static long Ticks(double seconds) => (long)(seconds * TimeSpan.TicksPerSecond);

    [Test]
    public void IndexOf_EveryMicrosecondUpToTwoToTheTwenty_FallsInsideItsBucketAndIndexesNeverDecrease()
    {
        var previous = 0;
        for (long micros = 0; micros < 1 << 20; micros++)
        {
            var index = DurationQuantiles.IndexOf(micros * TimeSpan.TicksPerMicrosecond);
            var lower = DurationQuantiles.LowerMicros(index);
            Assert.That(micros, Is.InRange(lower, lower + DurationQuantiles.WidthMicros(index) - 1), $"{micros} µs in bucket {index}");
            Assert.That(index, Is.InRange(previous, previous + 1));
            previous = index;
        }
    }

    [Test]
    public void IndexOf_BucketWidth_IsAtMostAnEighthOfItsLowerBound()
    {
        for (var i = DurationQuantiles.SubBuckets; i < DurationQuantiles.Count; i++)
        {
            Assert.That(DurationQuantiles.WidthMicros(i) * 8, Is.LessThanOrEqualTo(DurationQuantiles.LowerMicros(i)), $"bucket {i}");
            Assert.That(DurationQuantiles.LowerMicros(i), Is.EqualTo(DurationQuantiles.LowerMicros(i - 1) + DurationQuantiles.WidthMicros(i - 1)), $"bucket {i} follows {i - 1}");
        }
    }

    [Test]
    public void IndexOf_NegativeAndHugeDurations_ClampToFirstAndLastBucket()
    {
        Assert.That(DurationQuantiles.IndexOf(-5), Is.Zero);
        Assert.That(DurationQuantiles.IndexOf(TimeSpan.FromDays(3).Ticks), Is.EqualTo(DurationQuantiles.Count - 1));
        Assert.That(DurationQuantiles.IndexOf(long.MaxValue), Is.EqualTo(DurationQuantiles.Count - 1));
    }

    [Test]
    public void Quantile_Empty_IsNull()
    {
        Assert.That(DurationQuantiles.Quantile(new int[DurationQuantiles.Count], 0.5), Is.Null);
    }

    [Test]
    public void Quantile_AllTheSameDuration_IsThatDurationWithinOneBucket()
    {
        var counts = new int[DurationQuantiles.Count];
        counts[DurationQuantiles.IndexOf(Ticks(0.1))] = 1000;

        Assert.That(DurationQuantiles.Quantile(counts, 0.5), Is.EqualTo(0.1).Within(12.5).Percent);
        Assert.That(DurationQuantiles.Quantile(counts, 0.99), Is.EqualTo(0.1).Within(12.5).Percent);
    }

    [Test]
    public void Quantile_UniformOneToThousandMilliseconds_P50AndP99MatchTheExactOnes()
    {
        var counts = new int[DurationQuantiles.Count];
        for (var ms = 1; ms <= 1000; ms++)
        {
            counts[DurationQuantiles.IndexOf(Ticks(ms / 1000d))]++;
        }

        Assert.That(DurationQuantiles.Quantile(counts, 0.5), Is.EqualTo(0.5).Within(6.25).Percent);
        Assert.That(DurationQuantiles.Quantile(counts, 0.99), Is.EqualTo(0.99).Within(6.25).Percent);
    }

    [Test]
    public void Quantile_OneSlowRequestInAHundred_P99SeesItAndP50DoesNot()
    {
        var counts = new int[DurationQuantiles.Count];
        counts[DurationQuantiles.IndexOf(Ticks(0.002))] = 98;
        counts[DurationQuantiles.IndexOf(Ticks(3))] = 2;

        Assert.That(DurationQuantiles.Quantile(counts, 0.5), Is.EqualTo(0.002).Within(12.5).Percent);
        Assert.That(DurationQuantiles.Quantile(counts, 0.99), Is.EqualTo(3).Within(12.5).Percent);
    }
}
