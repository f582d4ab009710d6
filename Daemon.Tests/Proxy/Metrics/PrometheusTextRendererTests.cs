using GradientNode.Proxy.Metrics;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Proxy.Metrics;

[TestFixture]
[Category("Unit")]
internal sealed class PrometheusTextRendererTests
{
    [Test]
    public void Render_Stats_WritesCountersHistogramAndAverages()
    {
        var time = new FakeTimeProvider();
        var metrics = new ProxyMetrics(time);
        var deployment = metrics.Deployment("hello");
        deployment.Replica("r0").Record(200, TimeSpan.FromSeconds(0.2), time.GetTimestamp());
        deployment.Forwarded.Record(200, TimeSpan.FromSeconds(0.2), time.GetTimestamp());
        deployment.Local.Record(401, TimeSpan.Zero, time.GetTimestamp());
        deployment.Replica("r0").Enter();

        var text = PrometheusTextRenderer.Render(metrics.Snapshot());

        Assert.That(text, Does.Contain("# TYPE gradient_proxy_requests_total counter\n"));
        Assert.That(text, Does.Contain("gradient_proxy_requests_total{deployment=\"hello\",replica=\"r0\",code_class=\"2xx\"} 1\n"));
        Assert.That(text, Does.Contain("gradient_proxy_requests_total{deployment=\"hello\",replica=\"\",code_class=\"4xx\"} 1\n"));
        Assert.That(text, Does.Contain("gradient_proxy_requests_in_flight{deployment=\"hello\",replica=\"r0\"} 1\n"));
        Assert.That(text, Does.Contain("gradient_proxy_request_duration_seconds_bucket{deployment=\"hello\",replica=\"r0\",le=\"0.1\"} 0\n"));
        Assert.That(text, Does.Contain("gradient_proxy_request_duration_seconds_bucket{deployment=\"hello\",replica=\"r0\",le=\"0.25\"} 1\n"));
        Assert.That(text, Does.Contain("gradient_proxy_request_duration_seconds_bucket{deployment=\"hello\",replica=\"r0\",le=\"+Inf\"} 1\n"));
        Assert.That(text, Does.Contain("gradient_proxy_request_duration_seconds_count{deployment=\"hello\",replica=\"r0\"} 1\n"));
        Assert.That(text, Does.Contain("gradient_proxy_request_duration_avg_seconds{deployment=\"hello\",window=\"1m\"} 0.2\n"));
        Assert.That(text, Does.Contain("gradient_proxy_request_duration_avg_seconds{deployment=\"hello\",window=\"5m\"} 0.2\n"));
    }
}
