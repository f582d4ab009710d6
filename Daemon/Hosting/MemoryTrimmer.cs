using System.Runtime;

namespace GradientNode.Daemon.Hosting;

/// <summary>
/// Gives memory back after a burst of work. Starting dozens of deployments grows the GC's committed heap and leaves freed
/// pages in glibc's malloc arenas, and neither shrinks by itself on an idle node. Every <see cref="Period"/> this reads
/// two counters (the bytes allocated so far, the working set); once <see cref="MemoryTrimPolicy"/> sees the working set
/// grown and the work over for 30 s, it runs one aggressive, compacting gen-2 collection and <c>malloc_trim(0)</c> (about 25 MB back
/// after 50 deployments start on 2 cores). See docs/benchmarks.md, "Daemon memory".
/// </summary>
internal sealed partial class MemoryTrimmer(TimeProvider time, ILogger<MemoryTrimmer> logger) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(10);

    /// <summary>A burst: the working set this much above its lowest point since the last trim.</summary>
    public const long GrowthBytes = 16L * 1024 * 1024;

    /// <summary>Quiet: less than this allocated in one <see cref="Period"/> (an idle node with 50 deployments: 0.3–4.3 MB; their start: 9–13 MB).</summary>
    public const long QuietBytes = 8L * 1024 * 1024;

    /// <summary>Quiet for this many periods in a row before a trim.</summary>
    public const int QuietTicks = 3;

    /// <summary>Reads the bytes allocated so far and the working set; replaced in tests.</summary>
    internal Func<(long Allocated, long WorkingSet)> ReadCounters { get; init; } =
        () => (GC.GetTotalAllocatedBytes(precise: false), Environment.WorkingSet);

    /// <summary>Gives the memory back; replaced in tests.</summary>
    internal Action Trim { get; init; } = TrimProcess;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var policy = new MemoryTrimPolicy(GrowthBytes, QuietBytes, QuietTicks);
        var (startAllocated, startWorkingSet) = ReadCounters(); // the baseline: a start with many deployments is a burst too
        policy.Tick(startAllocated, startWorkingSet);
        using var timer = new PeriodicTimer(Period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                var (allocated, before) = ReadCounters();
                if (!policy.Tick(allocated, before))
                {
                    continue;
                }

                try
                {
                    Trim();
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogTrimFailed(ex);
                    policy.Trimmed(ReadCounters().WorkingSet); // not again until the next burst
                    continue;
                }

                var after = ReadCounters().WorkingSet;
                policy.Trimmed(after);
                LogTrimmed(before / (1024 * 1024), after / (1024 * 1024));
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
