namespace GradientNode.Core.Workflows.Runs;

/// <summary>Fixed limits of a run (docs/reference/workflow-spec.md says each).</summary>
public static class RunLimits
{
    /// <summary>A string output larger than this fails its job (the product says "small-ish"; it does not say how small).</summary>
    public const int StringOutputBytes = 64 * 1024;

    /// <summary>A job's log kept after its container is removed starts with its first lines, up to this many bytes.</summary>
    public const int LogHeadBytes = 1024 * 1024;

    /// <summary>…and ends with its last this many bytes (from a line's start); a marker line between says how many bytes were dropped.</summary>
    public const int LogTailBytes = 7 * 1024 * 1024;

    /// <summary>
    /// The jobs one workflow may have. Every change of a job saves the run's whole state (<c>run.json</c>, about 600 bytes
    /// a job) and the scheduler walks every job at each step, so a run's cost grows with the square of its jobs: 7,000 jobs
    /// (what fits the parser's 100,000 YAML nodes) were 2 s of the daemon's CPU to submit and a 4 MB file rewritten at every
    /// job's start and end (found by the twelfth adversary review).
    /// </summary>
    public const int MaxJobs = 1000;
}
