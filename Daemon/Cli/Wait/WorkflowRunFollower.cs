using System.Text.Json;

namespace GradientNode.Daemon.Cli.Wait;

/// <summary>
/// <c>workflows run --wait</c>: polls the run, prints each job's phase changes (<see cref="JobPhaseLines"/>: a quick job's
/// RUNNING too) and the run's end, and exits 0 only when
/// the run SUCCEEDED (1 when it ended otherwise). A daemon that stops answering is waited for up to
/// <see cref="RolloutFollower.ReconnectGrace"/>, as <c>apply --wait</c> does: its jobs' containers keep running and the
/// daemon that comes back adopts them, so the run goes on; past the grace the following ends with exit 3.
/// </summary>
internal sealed class WorkflowRunFollower(ApiClient api, TextWriter output, TextWriter error, TimeProvider time)
{
    public async Task<int> FollowAsync(string name, string run, CancellationToken cancellationToken)
    {
        var seen = new Dictionary<string, (string Phase, string? Message)>(StringComparer.Ordinal);
        var hinted = false;
        long? lostSince = null;
        while (true)
        {
            // A daemon that stops answering (restarted: the run's containers keep running and the new daemon adopts
            // them) is waited for as apply --wait waits for it; before, the first poll that failed ended --wait with exit 3.
            HttpResponseMessage polled;
            try
            {
                polled = await api.SendAsync(HttpMethod.Get, $"v1/workflows/{Uri.EscapeDataString(name)}/runs/{run}", null, cancellationToken);
            }
            catch (DaemonUnreachableException ex)
            {
                if (lostSince is null)
                {
                    output.WriteLine("(the daemon does not answer (restarting?); still following)");
                }

                lostSince ??= time.GetTimestamp(); // monotonic
                if (time.GetElapsedTime(lostSince.Value) >= RolloutFollower.ReconnectGrace)
                {
                    error.WriteLine($"error: lost the daemon for {RolloutFollower.ReconnectGrace.TotalSeconds:0}s: {ex.Message} The run goes on once it is back (gradient-node workflows get {name} {run})");
                    return ExitCodes.Unreachable;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(300), time, cancellationToken);
                continue;
            }

            if (lostSince is not null)
            {
                lostSince = null;
                output.WriteLine("(the daemon answers again)");
            }

            using var response = polled;
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return ApiErrorPrinter.Print(error, body);
            }

            using var json = JsonDocument.Parse(body);
            foreach (var job in json.RootElement.GetProperty("jobs").EnumerateObject())
            {
                var phase = job.Value.GetProperty("phase").GetString() ?? "?";
                var message = job.Value.TryGetProperty("message", out var m) ? m.GetString() : null;
                var started = job.Value.TryGetProperty("started", out var s) && s.ValueKind == JsonValueKind.String;
                foreach (var line in JobPhaseLines.Next(job.Name, seen.TryGetValue(job.Name, out var before) ? before : null, phase, message, started))
                {
                    output.WriteLine(line);
                }

                seen[job.Name] = (phase, message);

                // A job that waits for GPUs may wait for good (a node with none, a held GPU): say how to stop waiting, once.
                if (!hinted && phase == "PENDING" && message?.Contains("waits for GPUs", StringComparison.Ordinal) == true)
                {
                    hinted = true;
                    output.WriteLine($"(the job waits until GPUs are free; Ctrl-C stops waiting here and the run goes on: cancel it with gradient-node workflows cancel {name} {run})");
                }
            }

            var runPhase = json.RootElement.GetProperty("phase").GetString();
            if (runPhase is not ("PENDING" or "RUNNING"))
            {
                var why = json.RootElement.TryGetProperty("message", out var m) ? $": {m.GetString()}" : string.Empty;
                output.WriteLine($"run {run}: {runPhase}{why}");
                return runPhase == "SUCCEEDED" ? ExitCodes.Ok : ExitCodes.Failed;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(300), time, cancellationToken);
        }
    }
}
