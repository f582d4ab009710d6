using GradientNode.Core.Specs;
using GradientNode.Core.Status;

namespace GradientNode.Daemon.Cli.Diff;

/// <summary>
/// What <c>diff</c> compares: the spec that runs (null for a new deployment) and its status, the spec in the file, and the
/// GPUs no replica holds (null when the node has none or did not say).
/// </summary>
internal sealed record PlanInput(DeploymentSpec? Running, DeploymentStatus? Status, DeploymentSpec Next, int FreeGpus, DateTimeOffset Now);
