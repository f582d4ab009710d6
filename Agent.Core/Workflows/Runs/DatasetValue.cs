namespace GradientNode.Core.Workflows.Runs;

/// <summary>
/// A resolved dataset version in run status; <see cref="IsCommitted"/> is set on outputs only. <see cref="IsRemoved"/> is
/// never stored: the run's GET sets it when the version is no longer in the dataset store (gc past <c>--dataset-keep</c>,
/// or <c>datasets rm</c>), so that <c>workflows get</c> of an older run does not name a version as if it could be read.
/// </summary>
public sealed record DatasetValue(string Id, bool? IsCommitted = null, bool? IsRemoved = null);
