using System.Globalization;
using System.Text;
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

        text.Append("# HELP gradient_autoscale_metric_target Autoscaling target (cpu and memory in %, requestDuration in seconds).\n# TYPE gradient_autoscale_metric_target gauge\n");
        foreach (var (slug, status) in deployments)
        {
            foreach (var metric in status.Metrics)
            {
                text.Append(CultureInfo.InvariantCulture, $"gradient_autoscale_metric_target{{deployment=\"{slug}\",metric=\"{metric.Metric}\"}} {metric.Target}\n");
            }
        }

        text.Append("# HELP gradient_autoscale_metric_value Autoscaling metric over the stable (window=\"stable\") and short (window=\"short\") windows.\n# TYPE gradient_autoscale_metric_value gauge\n");
        foreach (var (slug, status) in deployments)
        {
            foreach (var metric in status.Metrics)
            {
                if (metric.Value is { } stable)
                {
                    text.Append(CultureInfo.InvariantCulture, $"gradient_autoscale_metric_value{{deployment=\"{slug}\",metric=\"{metric.Metric}\",window=\"stable\"}} {stable}\n");
                }

                if (metric.ShortWindowValue is { } shortValue)
                {
                    text.Append(CultureInfo.InvariantCulture, $"gradient_autoscale_metric_value{{deployment=\"{slug}\",metric=\"{metric.Metric}\",window=\"short\"}} {shortValue}\n");
                }
            }
        }

        text.Append("# HELP gradient_autoscale_last_scale_timestamp_seconds When the desired count last changed (Unix time).\n# TYPE gradient_autoscale_last_scale_timestamp_seconds gauge\n");
        foreach (var (slug, status) in deployments.Where(d => d.Status.LastScale is not null))
        {
            text.Append(CultureInfo.InvariantCulture, $"gradient_autoscale_last_scale_timestamp_seconds{{deployment=\"{slug}\"}} {status.LastScale!.At.ToUnixTimeMilliseconds() / 1000.0}\n");
        }
    }

    private static void Gauge(StringBuilder text, string name, string help, IReadOnlyList<(string Slug, AutoscalingStatus Status)> deployments, Func<AutoscalingStatus, int> value)
    {
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} gauge\n");
        foreach (var (slug, status) in deployments)
        {
            text.Append(CultureInfo.InvariantCulture, $"{name}{{deployment=\"{slug}\"}} {value(status)}\n");
        }
    }
}
