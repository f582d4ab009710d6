using System.Text;
using GradientNode.Core.Autoscaling;
using GradientNode.Core.Status;
using NUnit.Framework;

namespace GradientNode.Tests.Autoscaling;

[TestFixture]
[Category("Unit")]
internal sealed class AutoscaleMetricsTests
{
    [Test]
    public void Write_Status_RendersDesiredTargetsValuesAndLastScale()
    {
        var status = new AutoscalingStatus
        {
            MinReplicas = 1,
            MaxReplicas = 3,
            DesiredReplicas = 2,
            Recommendation = 3,
            Panic = true,
            Metrics = [new AutoscalingMetricStatus("requestDuration", 0.15, 0.2, 0.5, true, 3)],
            LastScale = new ScaleEventStatus(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000), 1, 2, "why"),
        };
        var text = new StringBuilder();

        AutoscaleMetrics.Write(text, [("web", status)]);

        Assert.That(text.ToString(), Does.Contain("gradient_autoscale_desired_replicas{deployment=\"web\"} 2\n")
            .And.Contain("gradient_autoscale_recommendation{deployment=\"web\"} 3\n")
            .And.Contain("gradient_autoscale_panic{deployment=\"web\"} 1\n")
            .And.Contain("gradient_autoscale_metric_target{deployment=\"web\",metric=\"requestDuration\"} 0.15\n")
            .And.Contain("gradient_autoscale_metric_value{deployment=\"web\",metric=\"requestDuration\",window=\"stable\"} 0.2\n")
            .And.Contain("gradient_autoscale_metric_value{deployment=\"web\",metric=\"requestDuration\",window=\"short\"} 0.5\n")
            .And.Contain("gradient_autoscale_last_scale_timestamp_seconds{deployment=\"web\"} 1800000000\n"));
    }

    [Test]
    public void Write_NoAutoscaledDeployment_WritesNothing()
    {
        var text = new StringBuilder();

        AutoscaleMetrics.Write(text, []);

        Assert.That(text.ToString(), Is.Empty);
    }
}
