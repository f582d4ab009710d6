using GradientNode.Core.Engine;

namespace GradientNode.Core.Reconciliation;

/// <summary>The daemon settings the reconciler needs.</summary>
public sealed record ReconcilerOptions
{
    /// <summary>Label <c>gradient.node</c> on every container; a daemon only ever touches its own node's containers.</summary>
    public string NodeName { get; init; } = "default";

    /// <summary>Extra labels put on every container (e.g. a test run id), from <c>--label key=value</c>.</summary>
    public IReadOnlyDictionary<string, string> ExtraLabels { get; init; } = new Dictionary<string, string>();

    /// <summary>The proxy's domain: deployment <c>hello</c> answers at <c>hello.&lt;domain&gt;</c>.</summary>
    public string Domain { get; init; } = "localhost";

    /// <summary>Scheme and port of the first <c>--listen</c> URL, for the endpoint shown in status.</summary>
    public Uri PublicBase { get; init; } = new("http://0.0.0.0:8080");

    /// <summary>SIGTERM grace before SIGKILL when a replica is stopped.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a replica taken out of rotation keeps running so its in-flight requests finish, before SIGTERM.</summary>
    public TimeSpan DrainTime { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long the serving replicas of a deployment whose spec file went away keep serving before they are stopped, in case
    /// it comes back (<see cref="Reconciliation.RemovalGrace"/>); an explicit delete does not wait.
    /// </summary>
    public TimeSpan RemovalGrace { get; init; } = Reconciliation.RemovalGrace.Default;

    /// <summary>After <see cref="DrainTime"/>, how long a replica leaving rotation may still wait for its in-flight requests (at the proxy) to finish.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a rollout may go without a new replica becoming ready before it is reported failed.</summary>
    public TimeSpan ProgressDeadline { get; init; } = DesiredReplicas.DefaultProgressDeadline;

    /// <summary>How often every deployment is reconciled even when nothing signalled a change.</summary>
    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Every this many resyncs, every deployment is reconciled; the others skip deployments that settled and whose catalog
    /// entry and containers did not change (see <c>ResyncFilter</c>).
    /// </summary>
    public int FullResyncEvery { get; init; } = 4;

    /// <summary>How soon a deployment that has not converged is looked at again.</summary>
    public TimeSpan ProgressRecheck { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How many container create/start and remove calls run at once, node-wide (<c>--engine-concurrency</c>); the rest queue
    /// first come, first served. See <see cref="DefaultEngineConcurrency"/>.
    /// </summary>
    public int EngineConcurrency { get; init; } = DefaultEngineConcurrency(Environment.ProcessorCount);

    /// <summary>
    /// Four per core, at least 8 and at most 16 (docs/benchmarks.md, "Scale": on 2 cores, 8 at a time started 50 replicas 2–4 s
    /// sooner than 4, and 16 no sooner than 8 with a slower API; dockerd's per-container work is mostly serialised).
    /// </summary>
    public static int DefaultEngineConcurrency(int cores) => Math.Clamp(cores * 4, 8, 16);

    /// <summary><c>HostConfig.PidsLimit</c> of every replica (<c>--pids-limit</c>); 0 means no limit.</summary>
    public long PidsLimit { get; init; } = 4096;

    /// <summary>The most replicas the node's deployments may have together (<c>--max-replicas</c>); 0 means no bound (<see cref="ReplicaCap"/>).</summary>
    public int MaxReplicas { get; init; } = ReplicaCap.DefaultMax;

    /// <summary>json-file log rotation of every replica (<c>--log-max-size</c>, <c>--log-max-files</c>).</summary>
    public LogRotation LogRotation { get; init; } = new("10m", 3);

    /// <summary>
    /// Where the host's process files are, to tell a running replica whose network interface is gone
    /// (<see cref="NetworkNamespace"/>); null: not looked at.
    /// </summary>
    public string? ProcRoot { get; init; } = "/proc";

    public string EndpointFor(string slug)
    {
        var port = PublicBase.IsDefaultPort ? string.Empty : $":{PublicBase.Port}";
        return $"{PublicBase.Scheme}://{slug}.{Domain}{port}/";
    }
}
