using GradientNode.Core.Engine;

namespace GradientNode.Daemon.Api;

/// <summary>
/// Follows a workflow job's container log without the engine's follow: every <see cref="Interval"/> it reads the lines
/// logged since the last read (<see cref="LogCursor"/>), until the container has ended (then one last read takes the
/// rest) or is gone. A read that is not followed takes no inotify instance in the engine, so a followed run holds one
/// <c>--max-log-follows</c> place however many jobs it shows (before, one per job not ended: a run of more than 64 could
/// be followed only with <c>--job</c>). Lines show within about <see cref="Interval"/>.
/// </summary>
internal static class JobLogPoll
{
    /// <summary>How often the log is read again.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Emits container <paramref name="id"/>'s lines in order, each once; returns true once it has ended and every line
    /// is emitted, false once <paramref name="find"/> no longer finds it (removed: the rest is in the job's kept log). An
    /// <see cref="EngineException"/> (removed while read) goes to the caller, which has counted what was emitted.
    /// </summary>
    public static async Task<bool> RunAsync(IContainerEngine engine, string id, Func<CancellationToken, Task<ContainerSummary?>> find, Func<string, ValueTask> emit, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(find);
        ArgumentNullException.ThrowIfNull(emit);
        var cursor = new LogCursor();
        while (true)
        {
            // The state is read before the lines: once it says ended, this read has every line.
            if (await find(cancellationToken) is not { } container || container.Id != id)
            {
                return false;
            }

            var ended = container.State is "exited" or "dead" or "removing";
            var skip = cursor.AlreadyShown;
            await foreach (var line in engine.GetLogsAsync(id, new LogOptions(Timestamps: true, Since: cursor.Since), cancellationToken))
            {
                if (skip > 0)
                {
                    skip--;
                    continue;
                }

                await emit(line.Text);
                cursor.Add(line.Timestamp ?? DateTimeOffset.UnixEpoch);
            }

            cursor.Prune();
            if (ended)
            {
                return true;
            }

            await Task.Delay(Interval, time, cancellationToken);
        }
    }
}
