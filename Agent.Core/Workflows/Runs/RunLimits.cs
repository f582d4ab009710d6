namespace GradientNode.Core.Workflows.Runs;

/// <summary>Fixed limits of a run (docs/reference/workflow-spec.md says each).</summary>
public static class RunLimits
{
    /// <summary>A string output larger than this fails its job (the product says "small-ish"; it does not say how small).</summary>
    public const int StringOutputBytes = 64 * 1024;

    /// <summary>A job's log kept after its container is removed: the first this many bytes (then a line saying it was cut).</summary>
    public const int KeptLogBytes = 8 * 1024 * 1024;
}
