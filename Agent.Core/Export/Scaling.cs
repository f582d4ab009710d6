using System.Globalization;
using GradientNode.Core.Specs;
using k8s.Models;

namespace GradientNode.Core.Export;

/// <summary>
/// <c>resources.autoscaling</c>: an autoscaling/v2 HPA for cpu/memory; with requestDuration, one KEDA ScaledObject
/// carrying every metric (KEDA makes its own HPA, and two HPAs on one Deployment fight).
/// </summary>
internal static class Scaling
{
    public const int ScaleDownStabilizationSeconds = 300;
    public const string PrometheusServer = "http://prometheus-server.monitoring.svc:9090";

    public static void Add(ExportContext context, DeploymentSpec spec)
    {
        if (spec.Resources.Autoscaling is not { Enabled: true } autoscaling)
        {
            return;
        }

        if (spec.IsDisabled)
        {
            context.Warn("resources.autoscaling", "the deployment is disabled (0 replicas); an autoscaler would start it");
            return;
        }

        var slug = spec.Slug;
        var min = Math.Max(1, spec.Resources.Replicas);
        var target = new V2CrossVersionObjectReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = slug };
        var behavior = new V2HorizontalPodAutoscalerBehavior { ScaleDown = new V2HPAScalingRules { StabilizationWindowSeconds = ScaleDownStabilizationSeconds } };
        if (autoscaling.Metrics.All(m => m.Metric != AutoscalingMetric.RequestDuration))
        {
            var metrics = autoscaling.Metrics.Select(m => new V2MetricSpec
            {
                Type = "Resource",
                Resource = new V2ResourceMetricSource { Name = Name(m), Target = new V2MetricTarget { Type = "Utilization", AverageUtilization = (int)m.Value } },
            }).ToList();
            var hpa = new V2HorizontalPodAutoscaler
            {
                ApiVersion = "autoscaling/v2",
                Kind = "HorizontalPodAutoscaler",
                Metadata = Names.Meta(context, slug),
                Spec = new V2HorizontalPodAutoscalerSpec { ScaleTargetRef = target, MinReplicas = min, MaxReplicas = autoscaling.MaxReplicas, Metrics = metrics, Behavior = behavior },
            };
            context.Add($"{slug}.hpa.yaml", hpa);
            return;
        }

        var triggers = autoscaling.Metrics.Select(m => m.Metric == AutoscalingMetric.RequestDuration
            ? new KedaTrigger("prometheus", new()
            {
                ["serverAddress"] = PrometheusServer,
                ["query"] = Query(context, slug),
                ["threshold"] = m.Value.ToString(CultureInfo.InvariantCulture),
            }) { MetricType = "Value" }
            : new KedaTrigger(Name(m), new() { ["value"] = ((int)m.Value).ToString(CultureInfo.InvariantCulture) }) { MetricType = "Utilization" }).ToList();
        var scaled = new ScaledObjectSpec(target, min, autoscaling.MaxReplicas, new KedaAdvanced(new KedaHpaConfig(behavior)), triggers);
        context.Add($"{slug}.scaledobject.yaml", new KedaScaledObject("keda.sh/v1alpha1", "ScaledObject", Names.Meta(context, slug), scaled));
    }

    /// <summary>Mean request duration over the last 2 minutes from ingress-nginx's histogram, for this ingress.</summary>
    public static string Query(ExportContext context, string slug)
    {
        var selector = context.Options.Namespace is { } ns ? $"ingress=\"{slug}\",exported_namespace=\"{ns}\"" : $"ingress=\"{slug}\"";
        return $"sum(rate(nginx_ingress_controller_request_duration_seconds_sum{{{selector}}}[2m])) / sum(rate(nginx_ingress_controller_request_duration_seconds_count{{{selector}}}[2m]))";
    }

    private static string Name(AutoscalingMetricSpec metric) => metric.Metric == AutoscalingMetric.Cpu ? "cpu" : "memory";
}
