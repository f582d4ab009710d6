using System.Text;
using GradientNode.Core.Common;
using NUnit.Framework;

namespace GradientNode.Tests.Common;

[TestFixture]
[Category("Unit")]
internal sealed class PrometheusTextTests
{
    [Test]
    public void Family_Always_WritesHelpThenType()
    {
        var text = new StringBuilder();

        PrometheusText.Family(text, "x_total", "counter", "Things.");

        Assert.That(text.ToString(), Is.EqualTo("# HELP x_total Things.\n# TYPE x_total counter\n"));
    }

    [Test]
    public void Sample_WithLabels_EscapesValuesAndKeepsOrder()
    {
        var text = new StringBuilder();

        PrometheusText.Sample(text, "x", 3, ("a", "q\"b\\c\nd"), ("b", ""));

        Assert.That(text.ToString(), Is.EqualTo("x{a=\"q\\\"b\\\\c\\nd\",b=\"\"} 3\n"));
    }

    [Test]
    public void Sample_DoubleWithoutLabels_WritesShortestRoundTrip()
    {
        var text = new StringBuilder();

        PrometheusText.Sample(text, "y", 0.1 + 0.2);

        Assert.That(text.ToString(), Is.EqualTo("y 0.30000000000000004\n"));
    }
}
