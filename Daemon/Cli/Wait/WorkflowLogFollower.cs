namespace GradientNode.Daemon.Cli.Wait;

/// <summary>
/// <c>workflows logs NAME RUN [--job J] [-f]</c>: streams the run's log. With <c>-f</c>, a daemon that closes the stream
/// (it stopped or restarts: the jobs' containers keep running and the daemon that comes back adopts them) is asked again
/// for up to <see cref="RolloutFollower.ReconnectGrace"/>, as <c>run --wait</c> and <c>apply --wait</c> wait for it; the
/// new stream replays the log from its start, so the lines already printed are skipped, counted per job (<c>[JOB] </c>
/// prefix) because parallel jobs' lines may interleave in another order. Before, <c>-f</c> ended with exit 1 at a restart.
/// The notes about the daemon go to stderr, so that stdout holds the log alone.
/// </summary>
internal sealed class WorkflowLogFollower(ApiClient api, TextWriter output, TextWriter error, TimeProvider time)
{
    /// <summary>Streams the log; returns the exit code and how many lines were printed.</summary>
    public async Task<(int Exit, int Lines)> StreamAsync(string path, bool follow, CancellationToken cancellationToken)
    {
        var printed = new Dictionary<string, int>(StringComparer.Ordinal);
        var lines = 0;
        var loss = new DaemonLoss(error, time);
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
