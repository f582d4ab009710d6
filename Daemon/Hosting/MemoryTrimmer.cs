using System.Runtime;

namespace GradientNode.Daemon.Hosting;

/// <summary>
/// Gives memory back after a burst of work. Starting dozens of deployments grows the GC's committed heap and leaves freed
/// pages in glibc's malloc arenas, and neither shrinks by itself on an idle node. Every <see cref="Period"/> this reads
/// one counter (the bytes allocated so far); once <see cref="MemoryTrimPolicy"/> sees a burst followed by a quiet
/// period, it runs one aggressive, compacting gen-2 collection and <c>malloc_trim(0)</c>. See docs/benchmarks.md,
/// "Daemon memory".
/// </summary>
internal sealed partial class MemoryTrimmer(TimeProvider time, ILogger<MemoryTrimmer> logger) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(10);

    /// <summary>A burst: this much allocated since the last trim (a 50-deployment start allocates several hundred MB).</summary>
    public const long WorkBytes = 64L * 1024 * 1024;

    /// <summary>Quiet: less than this allocated in one <see cref="Period"/> (an idle node with 50 deployments: well under 1 MB).</summary>
    public const long QuietBytes = 2L * 1024 * 1024;

    /// <summary>Reads the allocation counter; replaced in tests.</summary>
    internal Func<long> AllocatedBytes { get; init; } = () => GC.GetTotalAllocatedBytes(precise: false);

    /// <summary>Gives the memory back; replaced in tests.</summary>
    internal Action Trim { get; init; } = TrimProcess;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var policy = new MemoryTrimPolicy(WorkBytes, QuietBytes);
        using var timer = new PeriodicTimer(Period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                if (!policy.Tick(AllocatedBytes()))
                {
                    continue;
                }

                var before = Environment.WorkingSet;
                try
                {
                    Trim();
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogTrimFailed(ex);
                    continue;
                }

                LogTrimmed(before / (1024 * 1024), Environment.WorkingSet / (1024 * 1024));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private static void TrimProcess()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        try
        {
            Security.Libc.MallocTrim(0);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc: the GC's part still counts.
        }
    }

    [LoggerMessage(EventId = 4050, Level = LogLevel.Information, Message = "Memory given back after a burst of work: working set {BeforeMb} MB -> {AfterMb} MB")]
    private partial void LogTrimmed(long beforeMb, long afterMb);

    [LoggerMessage(EventId = 4051, Level = LogLevel.Warning, Message = "Giving memory back failed; the node goes on")]
    private partial void LogTrimFailed(Exception exception);
}
