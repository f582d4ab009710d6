using System.Globalization;
using System.Text;
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
        text.Append("# HELP gradient_deployments Deployments on this node by state.\n# TYPE gradient_deployments gauge\n");
        foreach (var state in Enum.GetValues<DeploymentState>())
        {
            text.Append(CultureInfo.InvariantCulture, $"gradient_deployments{{state=\"{state}\"}} {all.Count(s => s.State == state)}\n");
        }

        text.Append("# HELP gradient_replicas_desired Replicas each deployment asks for.\n# TYPE gradient_replicas_desired gauge\n");
        foreach (var status in all)
        {
            text.Append(CultureInfo.InvariantCulture, $"gradient_replicas_desired{{deployment=\"{status.Slug}\"}} {status.DesiredReplicas}\n");
        }

        text.Append("# HELP gradient_replicas_ready Replicas that are ready.\n# TYPE gradient_replicas_ready gauge\n");
        foreach (var status in all)
        {
            text.Append(CultureInfo.InvariantCulture, $"gradient_replicas_ready{{deployment=\"{status.Slug}\"}} {status.ReadyReplicas}\n");
        }

        text.Append("# HELP gradient_replica_restarts_total Restarts of each replica.\n# TYPE gradient_replica_restarts_total counter\n");
        foreach (var status in all)
        {
            foreach (var instance in status.Instances)
            {
                text.Append(CultureInfo.InvariantCulture, $"gradient_replica_restarts_total{{deployment=\"{status.Slug}\",replica=\"{instance.Index}\"}} {instance.Restarts}\n");
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
            using var writer = new StringWriter(text, CultureInfo.InvariantCulture);
            PrometheusTextRenderer.Write(writer, stats);
        }

        return Results.Text(text.ToString(), PrometheusTextRenderer.ContentType);
    });
}
