using GradientNode.Core.Autoscaling;
using NUnit.Framework;

namespace GradientNode.Tests.Autoscaling;

[TestFixture]
[Category("Unit")]
internal sealed class UsageSeriesTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void Average_SamplesInAndOutOfWindow_AveragesOnlyWindow()
    {
        var series = new UsageSeries(TimeSpan.FromMinutes(1));
        series.Add(Start, 90);
        series.Add(Start.AddSeconds(50), 30);
        series.Add(Start.AddSeconds(55), 10);

        Assert.That(series.Average(Start.AddSeconds(55), TimeSpan.FromSeconds(10)), Is.EqualTo(20));
        Assert.That(series.Average(Start.AddSeconds(55), TimeSpan.FromMinutes(1)), Is.EqualTo(130.0 / 3).Within(1e-9));
    }

    [Test]
    public void Average_NoSampleInWindow_IsNull()
    {
        var series = new UsageSeries(TimeSpan.FromMinutes(1));
        series.Add(Start, 50);

        Assert.That(series.Average(Start.AddSeconds(30), TimeSpan.FromSeconds(10)), Is.Null);
    }

    [Test]
    public void Add_OlderThanKept_IsDropped()
    {
        var series = new UsageSeries(TimeSpan.FromSeconds(10));
        series.Add(Start, 50);
        series.Add(Start.AddSeconds(5), 50);
        series.Add(Start.AddSeconds(12), 50);

        Assert.That(series.Count, Is.EqualTo(2));
    }
}
