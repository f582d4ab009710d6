namespace GradientNode.Core.Workflows.Runs;

/// <summary>A run whose <c>run.json</c> (<paramref name="Path"/>) cannot be read, and why (<paramref name="Problem"/>).</summary>
public sealed record DamagedRunRecord(string Workflow, int Run, string Path, string Problem);
