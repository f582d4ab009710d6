using GradientNode.Core.Engine;

namespace GradientNode.Daemon.Api;

/// <summary>
/// Follows a workflow job's container log without the engine's follow: every <see cref="Interval"/> it reads the lines
/// logged since the last read (<see cref="LogCursor"/>), until the container has ended (then one last read takes the
/// rest) or is gone. A read that is not followed takes no inotify instance in the engine, so a followed run holds one
/// <c>--max-log-follows</c> place however many jobs it shows (before, one per job not ended: a run of more than 64 could
/// be followed only with <c>--job</c>). Lines show within about <see cref="Interval"/>. The state comes from
/// <c>find</c>: for a followed run, one list of the run's containers an interval shared by its jobs (<see cref="RunContainerWatch"/>).
/// </summary>
internal static partial class JobLogPoll
{
    /// <summary>How often the log is read again.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Emits container <paramref name="id"/>'s lines in order, each once; returns true once it has ended and every line
    /// is emitted, false once <paramref name="find"/> no longer finds it (removed: the rest is in the job's kept log). An
    /// <see cref="EngineException"/> (removed while read) goes to the caller, which has counted what was emitted. With
    /// <paramref name="tail"/>, the first read emits only its last <paramref name="tail"/> lines (<c>?tail=N</c>); the cursor
    /// still counts every line it read, so the next read, which asks from a second before the latest line, skips the lines
    /// of that second that came before the tail as well as those shown.
    /// </summary>
    public static async Task<bool> RunAsync(IContainerEngine engine, string id, Func<CancellationToken, Task<ContainerSummary?>> find, Func<string, ValueTask> emit, TimeProvider time, CancellationToken cancellationToken, int? tail = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(find);
        ArgumentNullException.ThrowIfNull(emit);
        var cursor = new LogCursor();
        var held = tail is null ? null : new Queue<LogLine>();
        long heldChars = 0, read = 0;
        while (true)
        {
            // The state is read before the lines: once it says ended, this read has every line.
            if (await find(cancellationToken) is not { } container || container.Id != id)
            {
                return false;
            }

            var ended = container.State is "exited" or "dead" or "removing";
            var skip = cursor.AlreadyShown;
            var recent = await ReadRecentAsync(engine, id, cursor.Since, skip, cancellationToken);
            await foreach (var line in recent is null ? engine.GetLogsAsync(id, new LogOptions(Timestamps: true, Since: cursor.Since), cancellationToken) : recent.ToAsyncEnumerable())
            {
                if (skip > 0)
                {
                    skip--;
                    continue;
                }

                if (held is not null)
                {
                    // The first read with a tail: its lines before the last `tail` are counted as read, not shown.
                    // At most MostChars of text held (a tail of 2147483647 held the whole log, 30 MB, per job and follow).
                    held.Enqueue(line);
                    heldChars += Cost(line);
                    read++;
                    while (held.Count > tail || (heldChars > MostChars && held.Count > 1))
                    {
                        var old = held.Dequeue();
                        heldChars -= Cost(old);
                        cursor.Add(old.Timestamp ?? DateTimeOffset.UnixEpoch);
                    }

                    continue;
                }

                await emit(line.Text);
                cursor.Add(line.Timestamp ?? DateTimeOffset.UnixEpoch);
            }

            if (held is not null && Math.Min(read, tail!.Value) - held.Count is > 0 and var cut)
            {
                await emit(TailCut(cut, tail.Value));
            }

            while (held?.TryDequeue(out var last) == true)
            {
                await emit(last.Text);
                cursor.Add(last.Timestamp ?? DateTimeOffset.UnixEpoch);
            }

            held = null;
            cursor.Prune();
            if (ended)
            {
                return true;
            }

            await Task.Delay(Interval, time, cancellationToken);
        }
    }

    /// <summary>
    /// The lines logged since <paramref name="since"/>, read from the end of the log; null when there are too many to hold
    /// (the caller then streams the whole log). dockerd applies <c>since</c> to every line of a json-file log it reads, so
    /// reading the whole log (up to <c>--log-max-size</c> × <c>--log-max-files</c>, 30 MB) every second for each job
    /// would cost it far more than the new lines are worth. This asks for the last <see cref="FirstTail"/> lines (and
    /// those shown before); when all of them are since then there may be more, and it asks for four times as many,
    /// while they hold less than <see cref="MostChars"/>.
    /// </summary>
    internal static async Task<List<LogLine>?> ReadRecentAsync(IContainerEngine engine, string id, DateTimeOffset? since, int alreadyShown, CancellationToken cancellationToken)
    {
        for (var tail = FirstTail + alreadyShown; ; tail = checked(tail * 4))
        {
            var lines = new List<LogLine>();
            long chars = 0;
            await foreach (var line in engine.GetLogsAsync(id, new LogOptions(Tail: tail, Timestamps: true, Since: since), cancellationToken))
            {
                chars += Cost(line);
                if (chars > MostChars)
                {
                    return null;
                }

                lines.Add(line);
            }

            // Fewer than asked: the tail reached back past `since` (or to the log's start), so none is missing.
            if (lines.Count < tail)
            {
                return lines;
            }
        }
    }

    /// <summary>The line said in place of the first lines of a tail that do not fit in <see cref="MostChars"/>.</summary>
    internal static string TailCut(long cut, int tail) => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"[tail cut: the first {cut} of the last {tail} lines are not shown; the node holds at most {MostChars >> 20} MiB of a running job's tail]");

    /// <summary>
    /// Whether <paramref name="line"/> is <see cref="TailCut"/>'s line, and how many lines it stands for: a follow that
    /// counts the lines of a job (<c>workflows logs -f --tail N</c>, to resume after a daemon restart) counts it as those
    /// <paramref name="cut"/> lines, not one. The header <c>X-Log-Tail-Skipped</c> cannot say it: it goes before this read.
    /// </summary>
    internal static bool TryReadTailCut(string line, out long cut)
    {
        const System.Globalization.NumberStyles digits = System.Globalization.NumberStyles.None;
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        var match = TailCutPattern().Match(line);
        cut = match.Success && long.TryParse(match.Groups[1].ValueSpan, digits, invariant, out var k)
            && int.TryParse(match.Groups[2].ValueSpan, digits, invariant, out var tail) && TailCut(k, tail) == line
            ? k
            : 0;
        return cut > 0;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\[tail cut: the first ([0-9]{1,18}) of the last ([0-9]{1,10}) lines ")]
    private static partial System.Text.RegularExpressions.Regex TailCutPattern();

    /// <summary>Lines asked for first: more than a job logs in a second or two, unless it floods.</summary>
    internal const int FirstTail = 1000;

    /// <summary>
    /// What a held line counts against <see cref="MostChars"/>: its text and <see cref="LineCost"/> for what is kept beside
    /// it. Counted by text alone, empty or one-character lines cost nothing: a job printing 200,000 empty lines a second
    /// had every one held at each read, as many as its whole container log has (about 400,000 in 30 MB).
    /// </summary>
    internal static long Cost(LogLine line) => line.Text.Length + LineCost;

    /// <summary>About a held line's own memory besides its text (the line, its string's header, its slot), in characters.</summary>
    internal const int LineCost = 32;

    /// <summary>The most text held from one read before the whole log is streamed instead (each line counted by <see cref="Cost"/>).</summary>
    internal const long MostChars = 4L << 20;
}
