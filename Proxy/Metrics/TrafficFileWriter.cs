using GradientNode.Core.Traffic;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GradientNode.Proxy.Metrics;

/// <summary>Writes <c>&lt;run-dir&gt;/proxy-stats.json</c> every <see cref="ProxyOptions.StatsWriteInterval"/> and once on stop.</summary>
internal sealed partial class TrafficFileWriter : BackgroundService
{
    private readonly ProxyMetrics _metrics;
    private readonly ProxyOptions _options;
    private readonly ILogger<TrafficFileWriter> _logger;
    private bool _failing;

    public TrafficFileWriter(ProxyMetrics metrics, ProxyOptions options, ILogger<TrafficFileWriter> logger)
    {
        _metrics = metrics;
        _options = options;
        _logger = logger;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        WriteOnce();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.StatsWriteInterval, _options.TimeProvider);
        try
        {
            do
            {
                WriteOnce();
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void WriteOnce()
    {
        try
        {
            TrafficFile.Write(_options.RunDir, _metrics.Snapshot());
            _failing = false;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (!_failing)
            {
                _failing = true;
                LogStatsWriteFailed(_logger, _options.RunDir, ex);
            }
        }
    }
}
