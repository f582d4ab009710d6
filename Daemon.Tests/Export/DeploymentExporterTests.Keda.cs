using GradientNode.Core.Export;
using GradientNode.Core.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Export;

/// <summary>requestDuration as a KEDA prometheus trigger scales as the node does: the count times the ratio to the target.</summary>
internal sealed partial class DeploymentExporterTests
{
    [Test]
    public void Export_RequestDuration_PrometheusTriggerIsAValueMetricSoTheCountFollowsTheRatio()
    {
        // The query is the mean request duration over all pods, not a sum to divide among them. KEDA's default for a
        // prometheus trigger is AverageValue, for which the HPA wants ceil(metric / threshold) replicas whatever runs:
        // 3 s against 2 s asked for 2 replicas, and 4 replicas at 3 s were scaled down to 2. With Value it wants
        // ceil(ready × metric / threshold), the node's own formula (autoscaling.md). Before, metricType was left out.
        var spec = Parse("specs/valid/seed-000-v1-full/spec.yaml");

        var scaled = (KedaScaledObject)DeploymentExporter.Export(spec, "spec.yaml", Options).Documents.Single(d => d.Body is KedaScaledObject).Body;

        var prometheus = scaled.Spec.Triggers.Single(t => t.Type == "prometheus");
        Assert.Multiple(() =>
        {
            Assert.That(prometheus.MetricType, Is.EqualTo("Value"));
            Assert.That(prometheus.Metadata["threshold"], Is.EqualTo("2"));
            Assert.That(scaled.Spec.Triggers.Where(t => t.Type != "prometheus").Select(t => t.MetricType), Is.All.EqualTo("Utilization"));
        });
    }
}
