using GradientNode.Core.Status;
using GradientNode.Core.Traffic;
using GradientNode.Daemon.Configuration;

namespace GradientNode.Daemon.Api;

/// <summary>Reads the proxy role's stats file (it may run in another process) and folds it into status.</summary>
internal sealed class TrafficReader(NodeOptions options)
{
    public TrafficSnapshot? Read() => TrafficFile.TryRead(options.RunDir, out _);

    public static DeploymentStatus WithTraffic(DeploymentStatus status, TrafficSnapshot? stats)
    {
        var deployment = stats?.Deployments.FirstOrDefault(d => d.Slug == status.Slug);
        if (stats is null || deployment is null)
        {
            return status;
        }

        var forwarded = deployment.Forwarded;
        var local = deployment.Local;
        return status with
        {
            Traffic = new TrafficStatus(
                forwarded.Requests + local.Requests,
                forwarded.InFlight + local.InFlight,
                forwarded.Status2xx + local.Status2xx,
                forwarded.Status3xx + local.Status3xx,
                forwarded.Status4xx + local.Status4xx,
                forwarded.Status5xx + local.Status5xx,
                forwarded.AverageDurationSeconds1m,
                forwarded.AverageDurationSeconds5m,
                stats.Written)
            {
                P50DurationSeconds1m = forwarded.P50DurationSeconds1m,
                P99DurationSeconds1m = forwarded.P99DurationSeconds1m,
            },
        };
    }
}
