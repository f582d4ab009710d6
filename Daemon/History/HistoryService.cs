using GradientNode.Core.Status;
using GradientNode.Daemon.Api;

namespace GradientNode.Daemon.History;

/// <summary>Every <see cref="Period"/>: one sample per deployment from the status store and the traffic file into <see cref="DeploymentHistory"/>.</summary>
internal sealed class HistoryService(DeploymentHistory history, StatusStore statuses, TrafficReader traffic, TimeProvider time) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(10);

    /// <summary>Takes one sample now.</summary>
    public void Sample()
    {
        var stats = traffic.Read();
        var at = time.GetUtcNow().ToUnixTimeSeconds();
        var samples = statuses.All.ToDictionary(
            s => s.Slug,
            s =>
            {
                var t = TrafficReader.WithTraffic(s, stats).Traffic;
                return new HistoryInput(at, t?.Requests ?? 0L, t?.AverageDurationSeconds1m, t?.P50DurationSeconds1m, t?.P99DurationSeconds1m, s.ReadyReplicas, s.DesiredReplicas);
            },
            StringComparer.Ordinal);
        history.Record(samples);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        do
        {
            try
            {
                Sample();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A background worker never dies: this sample is skipped, the next one comes in 10 s
                // (the traffic file may be half-written or gone).
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
