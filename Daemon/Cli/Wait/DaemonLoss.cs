namespace GradientNode.Daemon.Cli.Wait;

/// <summary>
/// A following verb's view of a daemon that went away mid-stream (it stopped or restarts): since when, whether the
/// <see cref="RolloutFollower.ReconnectGrace"/> to ask again is over, and the stderr notes about it. Shared by
/// <see cref="DeploymentLogFollower"/> and <see cref="WorkflowLogFollower"/>, so both say the same and wait as long.
/// </summary>
internal sealed class DaemonLoss(TextWriter error, TimeProvider time)
{
    private long? _since; // monotonic

    public bool IsLost => _since is not null;

    /// <summary>The stream was cut: say so once and start the grace.</summary>
    public void StreamCut()
    {
        error.WriteLine("(the daemon closed the log stream (restarting?); still following)");
        _since = time.GetTimestamp();
    }

    /// <summary>
    /// Asks the daemon for the stream at <paramref name="path"/>. While it is lost (<see cref="StreamCut"/>), one that does
    /// not answer is asked again a moment later, until the grace is over: null then, after printing why (ending with
    /// <paramref name="meanwhile"/>). Not lost, an unreachable daemon is the caller's error as before. A daemon that
    /// answers 503 with <c>Retry-After</c> (it is stopping: the logs routes say so while a restart is under way) is lost
    /// as after a cut and asked again the same way; before, the verb printed the 503 and ended with exit 1. A 503 without
    /// <c>Retry-After</c> (no log-follow place left for the caller) is the caller's to print.
    /// </summary>
    public async Task<HttpResponseMessage?> AskAsync(ApiClient api, string path, string meanwhile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        while (true)
        {
            try
            {
                var response = await api.SendAsync(HttpMethod.Get, path, null, cancellationToken, stream: true);
                if (response.StatusCode != System.Net.HttpStatusCode.ServiceUnavailable || response.Headers.RetryAfter is null)
                {
                    return response;
                }

                response.Dispose();
                if (!IsLost)
                {
                    await error.WriteLineAsync("(the daemon is stopping (restarting?); asking again)");
                    _since = time.GetTimestamp();
                }

                if (!await WaitToAskAgainAsync("it answered that it is stopping.", meanwhile, cancellationToken))
                {
                    return null;
                }
            }
            catch (DaemonUnreachableException ex) when (IsLost)
            {
                if (!await WaitToAskAgainAsync(ex.Message, meanwhile, cancellationToken))
                {
                    return null;
                }
            }
        }
    }

    /// <summary>
    /// The daemon did not answer while lost: false (after printing why, ending with <paramref name="meanwhile"/>) once
    /// the grace is over; else waits a moment before the caller asks again.
    /// </summary>
    private async Task<bool> WaitToAskAgainAsync(string why, string meanwhile, CancellationToken cancellationToken)
    {
        if (time.GetElapsedTime(_since!.Value) >= RolloutFollower.ReconnectGrace)
        {
            await error.WriteLineAsync($"error: lost the daemon for {RolloutFollower.ReconnectGrace.TotalSeconds:0}s: {why} {meanwhile}");
            return false;
        }

        await Task.Delay(TimeSpan.FromMilliseconds(300), time, cancellationToken);
        return true;
    }

    /// <summary>The daemon answered: if it had been lost, say it is back.</summary>
    public void Answered()
    {
        if (_since is not null)
        {
            _since = null;
            error.WriteLine("(the daemon answers again)");
        }
    }
}
