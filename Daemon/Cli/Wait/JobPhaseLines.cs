namespace GradientNode.Daemon.Cli.Wait;

/// <summary>
/// What <c>workflows run --wait</c> prints for one job at one poll: its phase (and message) when it changed since the
/// last line printed for it. A job that went PENDING → RUNNING → SUCCEEDED between two polls (a quick job; polls are
/// 300 ms apart) is first shown <c>RUNNING</c>, from its recorded <c>started</c> time: the node records one only for
/// a job that started (its container or action), so a job that ended ERROR while it prepared, or SKIPPED, never gets a
/// RUNNING line it did not pass through.
/// </summary>
internal static class JobPhaseLines
{
    private static readonly string[] Ended = ["SUCCEEDED", "FAILED", "ERROR", "CANCELED"];

    /// <param name="job">The job's id.</param>
    /// <param name="before">The phase and message last printed for it; null when none was.</param>
    /// <param name="phase">Its phase now.</param>
    /// <param name="message">Its message now (null for none).</param>
    /// <param name="started">Whether its status has a <c>started</c> time (it ran).</param>
    public static IReadOnlyList<string> Next(string job, (string Phase, string? Message)? before, string phase, string? message, bool started)
    {
        if (before is { } last && last.Phase == phase && last.Message == message)
        {
            return [];
        }

        var line = message is null ? $"{job}: {phase}" : $"{job}: {phase}: {message}";
        return started && Ended.Contains(phase) && before?.Phase is not ("RUNNING" or "SUCCEEDED" or "FAILED" or "ERROR" or "CANCELED")
            ? [$"{job}: RUNNING", line]
            : [line];
    }
}
