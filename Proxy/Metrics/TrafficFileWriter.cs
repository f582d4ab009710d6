using GradientNode.Core.Traffic;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GradientNode.Proxy.Metrics;

/// <summary>
/// Writes <c>&lt;run-dir&gt;/proxy-stats.json</c>: every <see cref="ProxyOptions.StatsWriteInterval"/> while the figures
/// move (requests in flight or in the 5-minute window), then once at rest (<see cref="TrafficSnapshot.IsAtRest"/>), and
/// then nothing until <see cref="ProxyMetrics.Activity"/> says a request came, when it writes at once (issue 20: an idle
/// proxy costs no timer and no file write); once more on stop. Not flushed to disk: the figures count from the proxy's
/// start and mean nothing after a power loss.
/// </summary>
internal sealed partial class TrafficFileWriter : BackgroundService
{
    private readonly ProxyMetrics _metrics;
    private readonly ProxyOptions _options;
    private readonly ILogger<TrafficFileWriter> _logger;
    private bool _failing;
    private long _writes;

    public TrafficFileWriter(ProxyMetrics metrics, ProxyOptions options, ILogger<TrafficFileWriter> logger)
    {
        _metrics = metrics;
        _options = options;
        _logger = logger;
    }

    /// <summary>Files written so far (what an idle proxy must not grow).</summary>
    public long Writes => Interlocked.Read(ref _writes);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        _ = WriteOnce();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                // Armed before the snapshot: a request either shows in it or completes the wake-up.
                var activity = _metrics.Activity.Arm();
                if (WriteOnce() is { } written && written.IsAtRest())
                {
                    await activity.WaitAsync(stoppingToken).ConfigureAwait(false);
                    continue;
                }

                _metrics.Activity.Disarm();
                await Task.Delay(_options.StatsWriteInterval, _options.TimeProvider, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>The snapshot written, or null when the write failed (retried at the next interval).</summary>
    private TrafficSnapshot? WriteOnce()
    {
        try
        {
            var snapshot = _metrics.Snapshot();
            TrafficFile.Write(_options.RunDir, snapshot);
            Interlocked.Increment(ref _writes);
            _failing = false;
            return snapshot;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (!_failing)
            {
                _failing = true;
                LogStatsWriteFailed(_logger, _options.RunDir, ex);
            }

            return null;
        }
    }
}
