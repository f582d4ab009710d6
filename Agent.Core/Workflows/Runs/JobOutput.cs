namespace GradientNode.Core.Workflows.Runs;

/// <summary>An output: a <c>string</c> (the file <c>/outputs/NAME</c>), a <c>volume</c> (lives for the run), or a <c>dataset</c> (a new version of <see cref="Dataset"/>, committed only when the job succeeds).</summary>
public sealed record JobOutput(string Type, string? Dataset = null, string? Message = null);
