using GradientNode.Core.Status;
using GradientNode.Core.Traffic;
using GradientNode.Daemon.Configuration;

namespace GradientNode.Daemon.Api;

/// <summary>
/// Reads the proxy role's stats file (it may run in another process) and folds it into status. The last parse is kept
/// with the file's modification time and length: an unchanged file (an idle proxy writes none) costs one stat, not a parse.
/// </summary>
internal sealed class TrafficReader(NodeOptions options)
{
    private Parsed? _last;

    public TrafficSnapshot? Read()
    {
        var file = new FileInfo(TrafficFile.PathIn(options.RunDir));
        if (!file.Exists)
        {
            return null;
        }

        var last = Volatile.Read(ref _last);
        if (last is not null && last.Modified == file.LastWriteTimeUtc && last.Length == file.Length)
        {
            return last.Snapshot;
        }

        var snapshot = TrafficFile.TryRead(options.RunDir, out _);
        if (snapshot is not null)
        {
            // The stamp read before the parse: a file replaced in between is parsed again next time.
            Volatile.Write(ref _last, new Parsed(file.LastWriteTimeUtc, file.Length, snapshot));
        }

        return snapshot;
    }

    /// <summary>
    /// <paramref name="status"/> with the proxy's figures, and when <paramref name="now"/> is given, the replicas the proxy
    /// has out of rotation (<see cref="RotationOverlay"/>).
    /// </summary>
    public static DeploymentStatus WithTraffic(DeploymentStatus status, TrafficSnapshot? stats, DateTimeOffset? now = null)
    {
        var deployment = stats?.Deployments.FirstOrDefault(d => d.Slug == status.Slug);
        if (stats is null || deployment is null)
        {
            return status;
        }

        if (now is { } at)
        {
            status = RotationOverlay.Apply(status, deployment, at);
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

    private sealed record Parsed(DateTime Modified, long Length, TrafficSnapshot Snapshot);
}
