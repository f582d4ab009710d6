using GradientNode.Daemon.Api;

namespace GradientNode.Daemon.Cli.Wait;

/// <summary>
/// <c>workflows logs NAME RUN [--job J] [-f]</c>: streams the run's log. With <c>-f</c>, a daemon that closes the stream
/// (it stopped or restarts: the jobs' containers keep running and the daemon that comes back adopts them) is asked again
/// for up to <see cref="RolloutFollower.ReconnectGrace"/>, as <c>run --wait</c> and <c>apply --wait</c> wait for it; the
/// new stream replays the log from its start, so the lines already printed are skipped, counted per job (<c>[JOB] </c>
/// prefix) because parallel jobs' lines may interleave in another order. Before, <c>-f</c> ended with exit 1 at a restart.
/// The notes about the daemon go to stderr, so that stdout holds the log alone. With <c>--tail N</c> (<paramref name="tail"/>)
/// the first stream asks <c>tailSkipped=true</c> too: its header (<see cref="Api.WorkflowLogsEndpoint.TailSkippedHeader"/>)
/// says how many lines of each job the tail left out, so a stream asked again goes without the tail, from the log's
/// start, and skips those and the lines printed. Before, it asked for the tail again and printed it again. A tail the node
/// cut to 4 MiB begins with a line saying how many lines it left out (<see cref="JobLogPoll.TryReadTailCut"/>): counted as those.
/// </summary>
internal sealed class WorkflowLogFollower(ApiClient api, TextWriter output, TextWriter error, TimeProvider time, int? tail = null)
{
    /// <summary>What a <c>--tail</c> follow asks the first time besides its tail: how many lines the tail leaves out.</summary>
    public const string TailSkippedQuery = "&tailSkipped=true";

    /// <summary>Streams the log; returns the exit code and how many lines were printed.</summary>
    public async Task<(int Exit, int Lines)> StreamAsync(string path, bool follow, CancellationToken cancellationToken)
    {
        var printed = new Dictionary<string, int>(StringComparer.Ordinal);
        var skipped = new Dictionary<string, int>(StringComparer.Ordinal);
        int SkippedOf(string key) => key.Length == 0
            ? skipped.Count == 1 ? skipped.Values.Single() : 0 // one job shown: its lines carry no [JOB] prefix
            : skipped.GetValueOrDefault(key[1..]);
        if (tail is not null && follow)
        {
            path += TailSkippedQuery;
        }

        var lines = 0;
        var loss = new DaemonLoss(error, time);
        var again = false;
        while (true)
        {
            if (await loss.AskAsync(api, path, "The run goes on once it is back; run the command again then", cancellationToken) is not { } sent)
            {
                return (ExitCodes.Unreachable, lines);
            }

            using var response = sent;
            if (!response.IsSuccessStatusCode)
            {
                error.Write($"error: {await response.Content.ReadAsStringAsync(cancellationToken)}");
                return (ExitCodes.Failed, lines);
            }

            loss.Answered();
            var first = !again;
            if (first && tail is not null && follow)
            {
                // The tail's lines are counted from the log's start from now on: a stream asked again replays it whole.
                foreach (var (job, left) in Skipped(response))
                {
                    skipped[job] = left;
                }

                path = WithoutTail(path);
            }

            again = true;

            var replayed = new Dictionary<string, int>(StringComparer.Ordinal);
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var text = new StreamReader(stream);
            var reader = new LogLineReader(text);
            try
            {
                while (await reader.ReadLineAsync(cancellationToken) is { } line)
                {
                    var key = KeyOf(line);
                    var count = replayed[key] = replayed.GetValueOrDefault(key) + 1;
                    if (first && tail is not null && follow)
                    {
                        // The first stream's lines of a job follow the lines its tail left out. A job's first line may be
                        // the node's `[tail cut: the first K …]` (a tail over 4 MiB): it stands for those K lines, not one
                        // (before, counted as one, so a stream asked again printed K - 1 lines twice).
                        if (count == 1 && JobLogPoll.TryReadTailCut(key.Length == 0 ? line : line[(key.Length + 2)..], out var cut))
                        {
                            count = replayed[key] = (int)Math.Min(cut, int.MaxValue);
                        }

                        count += SkippedOf(key);
                    }

                    if (count > printed.GetValueOrDefault(key))
                    {
                        printed[key] = count;
                        output.WriteLine(line);
                        lines++;
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl-C.
            }
            catch (HttpIOException)
            {
                if (!follow)
                {
                    // The daemon cut the stream (it stopped): say so, never exit 0 as if the log had ended.
                    error.WriteLine(ApiClient.StreamCut);
                    return (ExitCodes.Failed, lines);
                }

                loss.StreamCut();
                continue;
            }

            return (ExitCodes.Ok, lines);
        }
    }

    /// <summary>The jobs' counts of <see cref="Api.WorkflowLogsEndpoint.TailSkippedHeader"/> (<c>prepare=120,fit=3</c>); none when absent.</summary>
    internal static IEnumerable<(string Job, int Lines)> Skipped(HttpResponseMessage response) =>
        response.Headers.TryGetValues(Api.WorkflowLogsEndpoint.TailSkippedHeader, out var values)
            ? values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries))
                .Select(pair => pair.Split('='))
                .Where(pair => pair.Length == 2 && int.TryParse(pair[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
                .Select(pair => (pair[0], int.Parse(pair[1], System.Globalization.CultureInfo.InvariantCulture)))
            : [];

    /// <summary>The path without its <c>tail</c> and <c>tailSkipped</c>: the whole log, from its start.</summary>
    internal static string WithoutTail(string path) =>
        System.Text.RegularExpressions.Regex.Replace(path, "&(tail=[0-9]+|tailSkipped=true)", string.Empty);

    /// <summary>The job a line belongs to: its <c>[JOB] </c> prefix (several jobs), else one key for all.</summary>
    private static string KeyOf(string line) =>
        line.StartsWith('[') && line.IndexOf("] ", StringComparison.Ordinal) is > 0 and var end ? line[..end] : string.Empty;
}
