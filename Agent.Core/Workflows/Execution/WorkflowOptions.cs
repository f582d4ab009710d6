using GradientNode.Core.Engine;

namespace GradientNode.Core.Workflows.Execution;

/// <summary>How the node runs workflow jobs (<c>node.yaml</c>: <c>workflowJobLimit</c>, <c>workflowJobMemory</c>, …).</summary>
public sealed record WorkflowOptions
{
    /// <summary>At most this many jobs run at once, across all runs (GPU jobs are further bound by free GPUs).</summary>
    public int JobLimit { get; init; } = 4;

    /// <summary>Cancel and timeouts send SIGTERM, then SIGKILL after this long.</summary>
    public TimeSpan StopGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a running job's container is looked at (an engine event wakes it sooner).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary><c>HostConfig.PidsLimit</c> of every job container, as of every replica (<c>--pids-limit</c>); 0 means no limit.</summary>
    public long PidsLimit { get; init; } = 4096;

    /// <summary>
    /// The most memory, in bytes, a CPU container job gets (<c>--workflow-job-memory</c>, by default half the host's):
    /// its instance type's memory when that is less, else this. 0 means the type's memory alone. GPU jobs keep their type's.
    /// </summary>
    public long JobMemoryBytes { get; init; }

    /// <summary>json-file log rotation of every job container, as of every replica (<c>--log-max-size</c>, <c>--log-max-files</c>).</summary>
    public LogRotation LogRotation { get; init; } = new("10m", 3);

    /// <summary>The node's name, written on job containers (<c>gradient.node</c>) so GPU accounting sees them.</summary>
    public string NodeName { get; init; } = "default";
}
