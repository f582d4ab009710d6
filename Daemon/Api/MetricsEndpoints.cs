using System.Globalization;
using System.Text;
using GradientNode.Core.Common;
using GradientNode.Core.Status;
using GradientNode.Proxy.Metrics;

namespace GradientNode.Daemon.Api;

/// <summary><c>GET /metrics</c>: Prometheus text with the daemon's series (the proxy's follow when it shares its stats).</summary>
internal static class MetricsEndpoints
{
    public static void Map(IEndpointRouteBuilder api) => api.MapGet("/metrics", (StatusStore statuses, TrafficReader traffic, GradientNode.Core.Gpus.GpuInventory gpus, GradientNode.Core.Catalog.SpecDirectoryWatcher specs, GradientNode.Core.Autoscaling.AutoscaleStore autoscale) =>
    {
        var text = new StringBuilder();
        var all = statuses.All;
        PrometheusText.Family(text, "gradient_deployments", "gauge", "Deployments on this node by state.");
        foreach (var state in Enum.GetValues<DeploymentState>())
        {
            PrometheusText.Sample(text, "gradient_deployments", all.Count(s => s.State == state), ("state", state.ToString()));
        }

        PrometheusText.Family(text, "gradient_replicas_desired", "gauge", "Replicas each deployment asks for.");
        foreach (var status in all)
        {
            PrometheusText.Sample(text, "gradient_replicas_desired", status.DesiredReplicas, ("deployment", status.Slug));
        }

        PrometheusText.Family(text, "gradient_replicas_ready", "gauge", "Replicas that are ready.");
        foreach (var status in all)
        {
            PrometheusText.Sample(text, "gradient_replicas_ready", status.ReadyReplicas, ("deployment", status.Slug));
        }

        PrometheusText.Family(text, "gradient_replica_restarts_total", "counter", "Restarts of each replica.");
        foreach (var status in all)
        {
            foreach (var instance in status.Replicas)
            {
                PrometheusText.Sample(text, "gradient_replica_restarts_total", instance.Restarts,
                    ("deployment", status.Slug), ("replica", instance.Index.ToString(CultureInfo.InvariantCulture)));
            }
        }

        GradientNode.Core.Gpus.GpuMetrics.Write(text, gpus.Current);
        var autoscaled = specs.Entries.Values
            .Select(e => (e.Slug, Status: autoscale.StatusOf(e.Spec)))
            .Where(d => d.Status is not null)
            .Select(d => (d.Slug, d.Status!))
            .OrderBy(d => d.Slug, StringComparer.Ordinal)
            .ToList();
        GradientNode.Core.Autoscaling.AutoscaleMetrics.Write(text, autoscaled);
        if (traffic.Read() is { } stats)
        {
            PrometheusTextRenderer.Write(text, stats);
        }

        return Results.Text(text.ToString(), PrometheusText.ContentType);
    });
}
