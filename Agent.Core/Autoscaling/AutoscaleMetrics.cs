using System.Globalization;
using System.Text;
using GradientNode.Core.Common;
using GradientNode.Core.Status;

namespace GradientNode.Core.Autoscaling;

/// <summary>The autoscaler's Prometheus series, from each deployment's <see cref="AutoscalingStatus"/>. Pure.</summary>
public static class AutoscaleMetrics
{
    public static void Write(StringBuilder text, IReadOnlyList<(string Slug, AutoscalingStatus Status)> deployments)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(deployments);
        if (deployments.Count == 0)
        {
            return;
        }

        Gauge(text, "gradient_autoscale_desired_replicas", "Replicas the autoscaler runs.", deployments, s => s.DesiredReplicas);
        Gauge(text, "gradient_autoscale_recommendation", "The autoscaler's latest recommendation (scale-down waits for the stabilization window).", deployments, s => s.Recommendation);
        Gauge(text, "gradient_autoscale_min_replicas", "resources.replicas.", deployments, s => s.MinReplicas);
        Gauge(text, "gradient_autoscale_max_replicas", "resources.autoscaling.maxReplicas.", deployments, s => s.MaxReplicas);
        Gauge(text, "gradient_autoscale_panic", "1 while a short-window value is at least twice its target.", deployments, s => s.Panic ? 1 : 0);

        PrometheusText.Family(text, "gradient_autoscale_metric_target", "gauge", "Autoscaling target (cpu and memory in %, requestDuration in seconds).");
        foreach (var (slug, status) in deployments)
        {
            foreach (var metric in status.Metrics)
            {
                PrometheusText.Sample(text, "gradient_autoscale_metric_target", metric.Target, ("deployment", slug), ("metric", metric.Metric));
            }
        }

        PrometheusText.Family(text, "gradient_autoscale_metric_value", "gauge", "Autoscaling metric over the stable (window=\"stable\") and short (window=\"short\") windows.");
        foreach (var (slug, status) in deployments)
        {
            foreach (var metric in status.Metrics)
            {
                if (metric.Value is { } stable)
                {
                    PrometheusText.Sample(text, "gradient_autoscale_metric_value", stable, ("deployment", slug), ("metric", metric.Metric), ("window", "stable"));
                }

                if (metric.ShortWindowValue is { } shortValue)
                {
                    PrometheusText.Sample(text, "gradient_autoscale_metric_value", shortValue, ("deployment", slug), ("metric", metric.Metric), ("window", "short"));
                }
            }
        }

        PrometheusText.Family(text, "gradient_autoscale_last_scale_timestamp_seconds", "gauge", "When the desired count last changed (Unix time).");
        foreach (var (slug, status) in deployments.Where(d => d.Status.LastScale is not null))
        {
            PrometheusText.Sample(text, "gradient_autoscale_last_scale_timestamp_seconds", status.LastScale!.At.ToUnixTimeMilliseconds() / 1000.0, ("deployment", slug));
        }
    }

    private static void Gauge(StringBuilder text, string name, string help, IReadOnlyList<(string Slug, AutoscalingStatus Status)> deployments, Func<AutoscalingStatus, int> value)
    {
        PrometheusText.Family(text, name, "gauge", help);
        foreach (var (slug, status) in deployments)
        {
            PrometheusText.Sample(text, name, value(status), ("deployment", slug));
        }
    }
}
