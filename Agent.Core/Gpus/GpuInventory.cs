using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GradientNode.Core.Gpus;

/// <summary>
/// The node's GPUs from nvidia-smi, read at start and then every <see cref="Period"/> (which also gives the
/// utilisation and memory figures). A box without nvidia-smi is a CPU box with no GPUs.
/// </summary>
public sealed partial class GpuInventory(INvidiaSmi smi, TimeProvider time, ILogger<GpuInventory> logger, TimeSpan? period = null) : BackgroundService
{
    public static readonly TimeSpan DefaultPeriod = TimeSpan.FromSeconds(15);

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile GpuSnapshot? _current;

    /// <summary>How often nvidia-smi is read again.</summary>
    public TimeSpan Period { get; } = period ?? DefaultPeriod;

    /// <summary>The last snapshot, or <see cref="GpuSnapshot.Empty"/> before the first read.</summary>
    public GpuSnapshot Current => _current ?? GpuSnapshot.Empty;

    /// <summary>The last snapshot, reading nvidia-smi first if it was never read.</summary>
    public async Task<GpuSnapshot> GetAsync(CancellationToken cancellationToken) =>
        _current ?? await RefreshAsync(cancellationToken).ConfigureAwait(false);

    public async Task<GpuSnapshot> RefreshAsync(CancellationToken cancellationToken)
    {
        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var previous = _current;
            var next = await ReadAsync(previous, cancellationToken).ConfigureAwait(false);
            if (previous is null || previous.Devices.Count != next.Devices.Count || previous.Error != next.Error)
            {
                LogInventory(next.Devices.Count, string.Join(", ", next.Devices.Select(d => $"{d.Index}:{d.Name} {d.Uuid}")), next.Note ?? "ok");
                foreach (var device in next.Devices.Where(d => d.PersistenceMode == false))
                {
                    LogPersistenceOff(device.Index, device.Uuid);
                }
            }

            _current = next;
            return next;
        }
        finally
        {
            _refresh.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        do
        {
            await RefreshAsync(stoppingToken).ConfigureAwait(false);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private async Task<GpuSnapshot> ReadAsync(GpuSnapshot? previous, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        try
        {
            if (await smi.RunAsync(NvidiaSmiParser.QueryArguments, cancellationToken).ConfigureAwait(false) is not { } csv)
            {
                return new GpuSnapshot([], false, null, now);
            }

            var devices = NvidiaSmiParser.ParseQuery(csv);
            var list = await smi.RunAsync(["-L"], cancellationToken).ConfigureAwait(false) ?? string.Empty;
            var mig = NvidiaSmiParser.ParseMig(list);
            return new GpuSnapshot(
                [.. devices.Select(d => mig.TryGetValue(d.Uuid, out var m) ? d with { MigDevices = m } : d)],
                true,
                null,
                now);
        }
        catch (NvidiaSmiException ex)
        {
            return new GpuSnapshot(previous?.Devices ?? [], true, ex.Message, now);
        }
    }

    [LoggerMessage(EventId = 1801, Level = LogLevel.Information, Message = "GPU inventory: {Count} GPU(s) {Devices} ({Note})")]
    private partial void LogInventory(int count, string devices, string note);

    [LoggerMessage(EventId = 1802, Level = LogLevel.Warning, Message = "GPU {Index} ({Uuid}) has persistence mode off: the driver reloads on each container start (nvidia-smi -pm 1)")]
    private partial void LogPersistenceOff(int index, string uuid);
}
