namespace GradientNode.Daemon.Cli.Wait;

/// <summary>
/// <c>workflows logs NAME RUN [--job J] [-f]</c>: streams the run's log. With <c>-f</c>, a daemon that closes the stream
/// (it stopped or restarts: the jobs' containers keep running and the daemon that comes back adopts them) is asked again
/// for up to <see cref="RolloutFollower.ReconnectGrace"/>, as <c>run --wait</c> and <c>apply --wait</c> wait for it; the
/// new stream replays the log from its start, so the lines already printed are skipped, counted per job (<c>[JOB] </c>
/// prefix) because parallel jobs' lines may interleave in another order. Before, <c>-f</c> ended with exit 1 at a restart.
/// The notes about the daemon go to stderr, so that stdout holds the log alone. With <c>--tail N</c> (<paramref name="tail"/>)
/// the new stream starts at each job's last N lines then, not at the log's start, so no count of printed lines says where
/// it had got to: it prints that tail again, after a note on stderr that lines may show twice (none is lost unless a
/// job printed more than N lines while the daemon was away).
/// </summary>
internal sealed class WorkflowLogFollower(ApiClient api, TextWriter output, TextWriter error, TimeProvider time, int? tail = null)
{
    /// <summary>The note before a <c>--tail</c> stream asked again.</summary>
    public static string TailAgain(int tail) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"(--tail {tail}: the new stream starts at each job's last {tail} lines again; some may show twice)");

    /// <summary>Streams the log; returns the exit code and how many lines were printed.</summary>
    public async Task<(int Exit, int Lines)> StreamAsync(string path, bool follow, CancellationToken cancellationToken)
    {
        var printed = new Dictionary<string, int>(StringComparer.Ordinal);
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
            if (again && tail is { } n)
            {
                printed.Clear();
                error.WriteLine(TailAgain(n));
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

    /// <summary>The job a line belongs to: its <c>[JOB] </c> prefix (several jobs), else one key for all.</summary>
    private static string KeyOf(string line) =>
        line.StartsWith('[') && line.IndexOf("] ", StringComparison.Ordinal) is > 0 and var end ? line[..end] : string.Empty;
}
