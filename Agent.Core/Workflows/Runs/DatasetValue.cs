namespace GradientNode.Core.Workflows.Runs;

/// <summary>A resolved dataset version in run status; <see cref="IsCommitted"/> is set on outputs only.</summary>
public sealed record DatasetValue(string Id, bool? IsCommitted = null);
