namespace GradientNode.Core.Engine;

/// <summary>
/// Every container label key the node reads or writes, in one place (the public contract: other tools filter
/// by these). Product code spells no <c>gradient.*</c> label literal anywhere else. It lives in the engine's
/// namespace, the lowest layer, so that every namespace that builds or reads containers may use it.
/// </summary>
public static class ContainerLabels
{
    /// <summary>The deployment's slug.</summary>
    public const string Deployment = "gradient.deployment";

    /// <summary>The replica index (0, 1, …).</summary>
    public const string Replica = "gradient.replica";

    /// <summary>The hash of the spec the container was created from; a different hash means replace.</summary>
    public const string SpecHash = "gradient.spec-hash";

    /// <summary>Which node (daemon instance) owns the container; daemons on one engine never touch each other's.</summary>
    public const string Node = "gradient.node";

    /// <summary>The deployment's display name (may contain spaces).</summary>
    public const string Name = "gradient.name";

    /// <summary>How many times this replica index was restarted.</summary>
    public const string Restarts = "gradient.restarts";

    /// <summary>Consecutive short-lived runs before this container; drives the crash backoff.</summary>
    public const string Crashes = "gradient.crashes";

    /// <summary>The exit code of the container this one replaced, when it crashed.</summary>
    public const string LastExitCode = "gradient.last-exit-code";

    /// <summary>The GPU UUIDs a container was given, comma-separated. The assignment's only record: rebuilt from Docker.</summary>
    public const string Gpus = "gradient.gpus";

    /// <summary>
    /// The first port of the spec the container was created from: the port of its TCP check, its probes and its route.
    /// A rollout that changes the port keeps each old replica on its own until it is replaced.
    /// </summary>
    public const string Port = "gradient.port";

    /// <summary>
    /// The capabilities the node dropped when it created the container, comma-separated (<c>NET_RAW</c>), set with
    /// <c>HostConfig.CapDrop</c> from the same list (<see cref="ContainerCapabilities.Dropped"/>). A replica that has it was
    /// created by a version that drops them: it is never replaced for holding one (were the engine's inspect to leave
    /// <c>CapDrop</c> out, a successor would look no better, and the replicas would roll without end); one without it is
    /// judged by the engine's <c>CapDrop</c> (<c>CreationDrift</c>).
    /// </summary>
    public const string CapDrop = "gradient.cap-drop";

    /// <summary>
    /// The hash of the <c>healthChecks</c> the container was created with (<c>ProbesHasher</c>): a running replica whose label
    /// differs from the spec's is rolled out (new before old) and keeps its own probes meanwhile (<c>HealthOverlay</c>). A
    /// replica without it was created by a node before the label: it is taken as matching the probes the daemon first
    /// sees it with, so upgrading the node rolls nothing.
    /// </summary>
    public const string ProbesHash = "gradient.probes-hash";

    /// <summary>On a workflow job's container: the workflow's name.</summary>
    public const string Workflow = "gradient.workflow";

    /// <summary>On a workflow job's container: the run's number (1, 2, …) within its workflow.</summary>
    public const string Run = "gradient.run";

    /// <summary>On a workflow job's container: the job's id in the workflow spec.</summary>
    public const string Job = "gradient.job";

    /// <summary>
    /// On a CPU workflow job's container whose memory the node's limit holds (<c>--workflow-job-memory</c>, below its
    /// instance type's memory): that limit in bytes, so that an out-of-memory kill names the setting.
    /// </summary>
    public const string JobMemory = "gradient.job-memory";

    /// <summary>Set by the tests only (never by the node): the test run that created the container, for cleanup.</summary>
    public const string TestRun = "gradient.test-run";

    /// <summary>
    /// The keys above: only the node sets them on a container. An image that carries one of them (<c>LABEL</c>) is not
    /// run (<see cref="NodeLabelsGuard"/>): the engine would copy it onto the container, which would pass for what it is not.
    /// </summary>
    public static IReadOnlyList<string> NodeOwned { get; } =
        [Deployment, Replica, SpecHash, Node, Name, Restarts, Crashes, LastExitCode, Gpus, Port, CapDrop, ProbesHash, Workflow, Run, Job, JobMemory, TestRun];
}
