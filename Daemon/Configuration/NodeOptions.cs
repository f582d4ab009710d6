using System.Globalization;
using GradientNode.Core.Engine;
using GradientNode.Core.Gpus;
using GradientNode.Core.Reconciliation;

namespace GradientNode.Daemon.Configuration;

/// <summary>
/// The settings of every role, from (highest first) command-line options, <c>GRADIENT_*</c> environment
/// variables, <c>/etc/gradient/node.yaml</c> (or <c>--config FILE</c>), then the contract's defaults.
/// </summary>
internal sealed record NodeOptions
{
    public const string DefaultConfigFile = "/etc/gradient/node.yaml";

    public string SpecsDir { get; init; } = "/etc/gradient/specs";

    public string StateDir { get; init; } = "/var/lib/gradient";

    public string RunDir { get; init; } = "/run/gradient";

    /// <summary>The API socket; default <c>&lt;run-dir&gt;/gradient.sock</c>.</summary>
    public string? SocketPath { get; init; }

    public string? DockerHost { get; init; }

    public IReadOnlyList<string> Listen { get; init; } = ["http://0.0.0.0:8080"];

    public string Domain { get; init; } = "localhost";

    /// <summary>node.yaml <c>console.listen</c>: the daemon serves the web console there; null (the default) serves none.</summary>
    public WebConsole.ListenAddress? ConsoleListen { get; init; }

    /// <summary>node.yaml <c>console.allowRemote</c>: lets <see cref="ConsoleListen"/> be a non-loopback address.</summary>
    public bool ConsoleAllowRemote { get; init; }

    /// <summary>PEM wildcard certificate and key for https listeners (<c>--tls-cert</c>, <c>--tls-key</c>).</summary>
    public string? TlsCert { get; init; }

    public string? TlsKey { get; init; }

    /// <summary>Per-host certificates chosen by SNI (<c>--tls-dir</c>).</summary>
    public string? TlsDir { get; init; }

    /// <summary>Plain-HTTP requests get 308 to https when an https listener exists (<c>--https-redirect on|off</c>).</summary>
    public bool HttpsRedirect { get; init; } = true;

    /// <summary>HSTS max-age on https responses (<c>--hsts D</c>); null = off.</summary>
    public TimeSpan? Hsts { get; init; }

    /// <summary>Label <c>gradient.node</c>: daemons sharing one Docker engine keep apart by it.</summary>
    public string NodeName { get; init; } = "default";

    /// <summary>Extra container labels, from repeated <c>--label key=value</c>.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>How long the proxy holds a request while a deployment has no ready replica.</summary>
    public TimeSpan ReadyWait { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Members of this group may use the API socket (besides root and the daemon's own user).</summary>
    public string SocketGroup { get; init; } = "gradient";

    /// <summary>
    /// Connections the API socket keeps open at once for users other than root and the daemon's own user (<c>--api-max-connections</c>);
    /// past it they get 503 while root keeps a reserve of its own (<see cref="Security.SocketConnectionLimit"/>).
    /// </summary>
    public int ApiMaxConnections { get; init; } = Security.SocketConnectionLimit.DefaultMaxMemberConnections;

    /// <summary>
    /// Container logs followed at once for <c>logs -f</c> and <c>workflows logs -f</c>, shared by caller (a quarter kept
    /// for root, a member at most half the rest; <c>--max-log-follows</c>; <c>0</c>: no limit); past it a follow gets 503
    /// (<see cref="Api.LogFollowLimit"/>).
    /// </summary>
    public int MaxLogFollows { get; init; } = Api.LogFollowLimit.DefaultMax;

    /// <summary>The machine types specs may name: the built-in table plus node.yaml's <c>machineTypes</c>.</summary>
    public MachineTypeTable MachineTypes { get; init; } = MachineTypeTable.BuiltIn;

    /// <summary>Autoscaler settings: <c>--autoscale-interval</c> and <c>--scale-down-stabilization</c>.</summary>
    public Core.Autoscaling.AutoscalerOptions Autoscaler { get; init; } = new();

    /// <summary>How long a replica leaving rotation waits for its in-flight requests (<c>--drain-timeout</c>).</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a rollout may go without a new replica becoming ready (<c>--progress-deadline</c>).</summary>
    public TimeSpan ProgressDeadline { get; init; } = DesiredReplicas.DefaultProgressDeadline;

    /// <summary>How many requests of one deployment the proxy holds at once while it has no ready replica (<c>--max-held-requests</c>).</summary>
    public int MaxHeldRequests { get; init; } = 100;

    /// <summary>Connections open at once from one client address (IPv6: /64) at the proxy (<c>--max-connections-per-address</c>); 0 means no limit.</summary>
    public int MaxConnectionsPerAddress { get; init; } = Proxy.ProxyOptions.DefaultMaxConnectionsPerAddress;

    /// <summary>Container create/start and remove calls at once, node-wide (<c>--engine-concurrency</c>); the rest queue.</summary>
    public int EngineConcurrency { get; init; } = ReconcilerOptions.DefaultEngineConcurrency(Environment.ProcessorCount);

    /// <summary>
    /// The engine network replicas join (<c>--replica-network</c>): made by the node when missing, a bridge on which
    /// containers cannot reach each other, with a host rule that keeps local users off it. <c>bridge</c>: the engine's
    /// default bridge, unprotected.
    /// </summary>
    public string ReplicaNetwork { get; init; } = DefaultReplicaNetwork;

    public const string DefaultReplicaNetwork = "gradient-node";

    /// <summary>The most replicas the deployments may have together (<c>--max-replicas</c>); 0 means no bound.</summary>
    public int MaxReplicas { get; init; } = Core.Reconciliation.ReplicaCap.DefaultMax;

    /// <summary>PidsLimit of every replica container (<c>--pids-limit</c>); 0 means no limit.</summary>
    public int PidsLimit { get; init; } = 4096;

    /// <summary>
    /// The slice (or cgroupfs path) every container is created under (<c>--containers-cgroup</c>), so that their pids
    /// are bounded together below <c>kernel.pid_max</c>; empty for the engine's default (<see cref="Core.Engine.ContainersCgroup"/>).
    /// </summary>
    public string ContainersCgroup { get; init; } = Core.Engine.ContainersCgroup.DefaultSlice;

    /// <summary>json-file log rotation of replicas: size of one file (<c>--log-max-size</c>, Docker syntax such as <c>10m</c>).</summary>
    public string LogMaxSize { get; init; } = "10m";

    /// <summary>json-file log rotation of replicas: files kept (<c>--log-max-files</c>).</summary>
    public int LogMaxFiles { get; init; } = 3;

    /// <summary>The most a <c>models add</c> upload may hold (<c>--model-upload-limit</c>, default 50 GiB).</summary>
    public long ModelUploadLimit { get; init; } = DefaultModelUploadLimit;

    /// <summary>Folders local git remotes (<c>file://</c>, paths) must lie under (<c>--git-local-root</c>); none by default.</summary>
    public IReadOnlyList<string> GitLocalRoots { get; init; } = [];

    public const long DefaultModelUploadLimit = 50L << 30;

    /// <summary>How many newest versions of each dataset the disk collector always keeps (<c>--dataset-keep</c>, default 5).</summary>
    public int DatasetKeep { get; init; } = Core.Integrations.StorageGcOptions.DefaultKeep;

    /// <summary>
    /// The files and folders one dataset version may hold (<c>--dataset-max-entries</c>, default 1,000,000): the daemon
    /// keeps each one's name and hash in memory while it commits (about 1.6 KB each).
    /// </summary>
    public int DatasetMaxEntries { get; init; } = Core.Datasets.DatasetStore.DefaultMaxEntries;

    /// <summary>At most this many workflow jobs run at once, across all runs (<c>--workflow-job-limit</c>, default 4).</summary>
    public int WorkflowJobLimit { get; init; } = 4;

    /// <summary>
    /// The most memory, in bytes, of a CPU workflow job (<c>--workflow-job-memory</c>; its instance type's when less);
    /// 0 means the type's alone. The loader's default is half the host's <c>MemTotal</c> (<see cref="JobMemoryText.DefaultPercent"/>).
    /// </summary>
    public long WorkflowJobMemory { get; init; }

    /// <summary>Ended runs kept per workflow; older ended ones are deleted (<c>--workflow-runs-kept</c>, default 100, 0 keeps all).</summary>
    public int WorkflowRunsKept { get; init; } = Core.Workflows.Runs.RunRetention.DefaultKept;

    /// <summary>A background image pull with no progress for this long is stopped and retried (<c>--pull-stall-timeout</c>).</summary>
    public TimeSpan PullStallTimeout { get; init; } = PullOptions.DefaultStallTimeout;

    /// <summary>
    /// <see cref="Listen"/> with the ports the proxy bound where a URL asked for port 0; set by <c>up</c> once its proxy
    /// listens (<see cref="BoundListenUrls"/>), null otherwise. Not a setting: a reload compares <see cref="Listen"/>.
    /// </summary>
    public IReadOnlyList<string>? BoundListen { get; init; }

    public string Socket => SocketPath ?? Path.Combine(RunDir, "gradient.sock");

    public DockerEngineOptions Engine => DockerEngineOptions.Resolve(DockerHost) with { ContainersCgroup = ContainersCgroup };

    public ReconcilerOptions Reconciler => new()
    {
        NodeName = NodeName,
        ExtraLabels = Labels,
        Domain = Domain,
        PublicBase = PublicBase(BoundListen ?? Listen),
        DrainTimeout = DrainTimeout,
        ProgressDeadline = ProgressDeadline,
        PidsLimit = PidsLimit,
        MaxReplicas = MaxReplicas,
        EngineConcurrency = EngineConcurrency,
        LogRotation = new LogRotation(LogMaxSize, LogMaxFiles),
    };

    /// <summary>
    /// The URL clients use: the first https listen URL, else the first listen URL, with a wildcard host kept only
    /// for its scheme and port.
    /// </summary>
    public static Uri PublicBase(IReadOnlyList<string> listen)
    {
        var first = listen.FirstOrDefault(u => u.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            ?? (listen.Count > 0 ? listen[0] : "http://0.0.0.0:8080");
        var normalized = first.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
        return Uri.TryCreate(normalized, UriKind.Absolute, out var uri) ? uri : new Uri("http://0.0.0.0:8080");
    }

    /// <summary>on/off, true/false, yes/no.</summary>
    public static bool ParseSwitch(string text, string option) => text.Trim().ToLowerInvariant() switch
    {
        "on" or "true" or "yes" => true,
        "off" or "false" or "no" => false,
        _ => throw new Cli.UsageException($"{option} wants on or off, got '{text}'"),
    };

    public static int ParsePositiveSeconds(string text, string option) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new Cli.UsageException($"{option} must be a whole number of seconds of at least 1, got '{text}'");
}
