using System.Globalization;
using System.Text;
using GradientNode.Daemon.Api;

namespace GradientNode.Daemon.Cli.Wait;

/// <summary>
/// <c>logs NAME -f</c>: copies the log stream to stdout as it comes. A daemon that closes the stream (it stopped or
/// restarts: the replicas keep running and the daemon that comes back adopts them) is asked again for up to
/// <see cref="RolloutFollower.ReconnectGrace"/>, as <c>workflows logs -f</c> and <c>apply --wait</c> wait for it. While
/// following, the lines are asked with their engine timestamps (shown only with <c>--timestamps</c>), so the stream
/// after the cut is asked from the last line printed on and <see cref="LogResume"/> prints each line once: none twice,
/// none missed (before, the client asked from its own clock at the cut, and a line the daemon had not passed on yet was
/// lost). The tags are the container's own (<see cref="LogTagNames"/>), so a container keeps its tag across the restart and
/// a resumed stream's lines are matched to the right container. Without <c>-f</c> a cut stream is an error (exit 1), never a log that seems to have ended. The notes about the
/// daemon go to stderr, so that stdout holds the log alone. Before, <c>-f</c> ended with exit 1 at a restart.
/// </summary>
internal sealed class DeploymentLogFollower(ApiClient api, Stream output, TextWriter error, TimeProvider time)
{
    /// <param name="path">The logs URL with its query (<c>v1/deployments/NAME/logs?follow=true…</c>).</param>
    /// <param name="follow">Follow, and ask again after a cut.</param>
    /// <param name="timestamps">Print each line's timestamp (the path asks for them when true).</param>
    public async Task<int> StreamAsync(string path, bool follow, CancellationToken cancellationToken, bool timestamps = false)
    {
        if (follow && !timestamps)
        {
            path += (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "timestamps=true";
        }

        if (follow)
        {
            // Tags that name the container in every stream, shortened here for the whole command (LogTagNames).
            path += (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "fullTags=true";
        }

        var asked = path;
        var loss = new DaemonLoss(error, time);
        var resume = new LogResume();
        var names = new LogTagNames();
        while (true)
        {
            if (await loss.AskAsync(api, asked, "The replicas keep running; run the command again once it is back", cancellationToken) is not { } sent)
            {
                return ExitCodes.Unreachable;
            }

            using var response = sent;
            if (!response.IsSuccessStatusCode)
            {
                return ApiErrorPrinter.Print(error, await response.Content.ReadAsStringAsync(cancellationToken));
            }

            loss.Answered();

            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            try
            {
                if (follow)
                {
                    await CopyLinesAsync(body, resume, names, timestamps, cancellationToken);
                }
                else
                {
                    await body.CopyToAsync(output, cancellationToken);
                }

                await output.FlushAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl-C while following.
            }
            catch (HttpIOException)
            {
                // The daemon cut the stream (it stopped); an IOException writing stdout (a closed pipe) is not this.
                if (!follow)
                {
                    await error.WriteLineAsync(ApiClient.StreamCut);
                    return ExitCodes.Failed;
                }

                loss.StreamCut();
                resume.Cut();
                asked = resume.Any ? Resumed(path, resume.Since) : path;
                continue;
            }

            if (follow && !cancellationToken.IsCancellationRequested)
            {
                // A followed stream the daemon ends (not cuts) ends once the deployment is gone: say so, on stderr, since
                // before, -f simply stopped (exit 0) and looked like a hang or a lost connection (newuser15's finding).
                await error.WriteLineAsync($"(the log ends here: deployment '{NameIn(path)}' was deleted from the node)");
            }

            return ExitCodes.Ok;
        }
    }

    /// <summary>The deployment's name in <c>v1/deployments/NAME/logs?…</c>, unescaped.</summary>
    internal static string NameIn(string path)
    {
        const string prefix = "v1/deployments/";
        var start = path.IndexOf(prefix, StringComparison.Ordinal);
        var end = start < 0 ? -1 : path.IndexOf('/', start + prefix.Length);
        return start < 0 || end < 0 ? path : Uri.UnescapeDataString(path[(start + prefix.Length)..end]);
    }

    /// <summary>Prints the lines <paramref name="resume"/> admits, flushing whenever no further line is waiting.</summary>
    private async Task CopyLinesAsync(Stream body, LogResume resume, LogTagNames names, bool timestamps, CancellationToken cancellationToken)
    {
        using var stream = new StreamReader(body, Encoding.UTF8, detectEncodingFromByteOrderMarks: false);
        var reader = new LogLineReader(stream);
        var writer = new StreamWriter(output, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
        await using (writer)
        {
            try
            {
                while (true)
                {
                    var next = reader.ReadLineAsync(cancellationToken);
                    if (!next.IsCompleted)
                    {
                        await writer.FlushAsync(cancellationToken);
                    }

                    if (await next is not { } line)
                    {
                        return;
                    }

                    if (!LogTimestamp.TryParse(line, out _))
                    {
                        // The daemon's own note (a replica stopped, a container waiting for a follow place, a log that
                        // could not be read): every line of the log has its engine timestamp, a note has none. On stderr,
                        // as the other notes, so that stdout holds the log alone (before, on stdout, and a replica that
                        // stopped was not noted at all).
                        await writer.FlushAsync(cancellationToken);
                        await error.WriteLineAsync(names.Show(line));
                        await error.FlushAsync(cancellationToken);
                    }
                    else if (resume.Admit(line))
                    {
                        await writer.WriteLineAsync(names.Show(timestamps ? line : LogResume.Strip(line)));
                    }
                }
            }
            finally
            {
                await writer.FlushAsync(CancellationToken.None);
            }
        }
    }

    /// <summary>The same query for the lines from <paramref name="cut"/> on: no <c>tail</c> (that was for the first answer).</summary>
    internal static string Resumed(string path, DateTimeOffset cut)
    {
        var question = path.IndexOf('?', StringComparison.Ordinal);
        var kept = question < 0 ? [] : path[(question + 1)..].Split('&').Where(p => !p.StartsWith("tail=", StringComparison.Ordinal) && !p.StartsWith("since=", StringComparison.Ordinal));
        var ticks = cut.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var since = string.Create(CultureInfo.InvariantCulture, $"since={ticks / TimeSpan.TicksPerSecond}.{ticks % TimeSpan.TicksPerSecond:D7}"); // Unix seconds
        var query = string.Join('&', kept.Append(since));
        return $"{(question < 0 ? path : path[..question])}?{query}";
    }
}
