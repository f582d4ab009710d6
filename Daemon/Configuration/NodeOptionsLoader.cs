using GradientNode.Daemon.Cli;

namespace GradientNode.Daemon.Configuration;

/// <summary>Builds <see cref="NodeOptions"/> from the command line, the environment and node.yaml.</summary>
internal static class NodeOptionsLoader
{
    private static readonly string[] Known =
    [
        "--specs-dir", "--state-dir", "--run-dir", "--socket", "--docker-host", "--listen", "--domain",
        "--node-name", "--label", "--config", "--ready-wait", "--socket-group", "--api-max-connections", "--max-log-follows",
        "--autoscale-interval", "--scale-down-stabilization", "--drain-timeout", "--progress-deadline",
        "--max-held-requests", "--max-connections-per-address", "--max-replicas", "--pids-limit", "--containers-cgroup", "--engine-concurrency", "--log-max-size", "--log-max-files",
        "--model-upload-limit", "--dataset-keep", "--dataset-max-entries", "--git-local-root",
        "--pull-stall-timeout", "--workflow-job-limit", "--workflow-job-memory", "--workflow-runs-kept", "--replica-network", "--tls-cert", "--tls-key", "--tls-dir", "--https-redirect", "--hsts",
    ];

    public static NodeOptions Load(ParsedArgs args, Func<string, string?> env) => Load(args, env, () => Api.NodeHost.Current().MemoryBytes);

    /// <summary>As <see cref="Load(ParsedArgs, Func{string, string?})"/>, with the host's <c>MemTotal</c> from <paramref name="hostMemory"/> (tests).</summary>
    public static NodeOptions Load(ParsedArgs args, Func<string, string?> env, Func<long?> hostMemory)
    {
        // Value-less flags (--follow, --version, …) mean nothing to a role: refused like any unknown option, not ignored.
        foreach (var name in args.OptionNames.Concat(args.SetFlags).Where(n => !Known.Contains(n)))
        {
            throw new UsageException(UsageHints.WithOptionHint($"unknown option {name}", name, Known));
        }

        LogLevelText.Parse(env(LogLevelText.Variable));
        var configPath = args.Get("--config") ?? env("GRADIENT_CONFIG");
        var file = NodeConfigFile.Read(configPath ?? NodeOptions.DefaultConfigFile, mustExist: configPath is not null);

        // A misspelt key first: its value was never read, so an error about another value (or a default that seems
        // ignored) would send the reader the wrong way.
        file.ThrowOnUnknownKeys();
        var options = new NodeOptions();

        // Where each value that did not come from the command line came from: an error about it names that source.
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        string? Pick(string flag, string variable, string key)
        {
            if (args.Get(flag) is { } fromArgs)
            {
                return fromArgs;
            }

            if (NonEmpty(env(variable)) is { } fromEnv)
            {
                sources[flag] = variable;
                return fromEnv;
            }

            var fromFile = file.GetString(key);
            if (fromFile is not null)
            {
                sources[flag] = $"{file.Where(key)}: {key}";
            }

            return fromFile;
        }

        var listen = args.GetAll("--listen");
        var listenFromEnv = NonEmpty(env("GRADIENT_LISTEN"))?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var listenFromFile = file.GetStrings("listen");
        if (listen.Count == 0 && (listenFromEnv is not null || listenFromFile is not null))
        {
            sources["--listen"] = listenFromEnv is not null ? "GRADIENT_LISTEN" : $"{file.Where("listen")}: listen";
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (file.GetMap("labels") is { } fileLabels)
        {
            foreach (var (key, value) in fileLabels)
            {
                labels[key] = value;
            }
        }

        foreach (var pair in (NonEmpty(env("GRADIENT_LABELS"))?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? []).Concat(args.GetAll("--label")))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new UsageException($"--label wants key=value, got '{pair}'");
            }

            labels[pair[..equals].Trim()] = pair[(equals + 1)..].Trim();
        }

        IReadOnlyList<string> gitRoots = args.GetAll("--git-local-root") is { Count: > 0 } fromArgs
            ? fromArgs
            : NonEmpty(env("GRADIENT_GIT_LOCAL_ROOTS"))?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                ?? file.GetStrings("gitLocalRoots") ?? [];
        var uploadLimit = Pick("--model-upload-limit", "GRADIENT_MODEL_UPLOAD_LIMIT", "modelUploadLimit");
        var datasetKeep = Pick("--dataset-keep", "GRADIENT_DATASET_KEEP", "datasetKeep");
        var datasetMaxEntries = Pick("--dataset-max-entries", "GRADIENT_DATASET_MAX_ENTRIES", "datasetMaxEntries");
        var readyWait = Pick("--ready-wait", "GRADIENT_READY_WAIT", "readyWaitSeconds");
        var interval = Pick("--autoscale-interval", "GRADIENT_AUTOSCALE_INTERVAL", "autoscaleInterval");
        var drainTimeout = Pick("--drain-timeout", "GRADIENT_DRAIN_TIMEOUT", "drainTimeout");
        var progressDeadline = Pick("--progress-deadline", "GRADIENT_PROGRESS_DEADLINE", "progressDeadline");
        var pullStall = Pick("--pull-stall-timeout", "GRADIENT_PULL_STALL_TIMEOUT", "pullStallTimeout");
        var stabilization = Pick("--scale-down-stabilization", "GRADIENT_SCALE_DOWN_STABILIZATION", "scaleDownStabilization");
        var maxHeld = Pick("--max-held-requests", "GRADIENT_MAX_HELD_REQUESTS", "maxHeldRequests");
        var pidsLimit = Pick("--pids-limit", "GRADIENT_PIDS_LIMIT", "pidsLimit");
        var containersCgroup = Pick("--containers-cgroup", "GRADIENT_CONTAINERS_CGROUP", "containersCgroup");
        var maxReplicas = Pick("--max-replicas", "GRADIENT_MAX_REPLICAS", "maxReplicas");
        var perAddress = Pick("--max-connections-per-address", "GRADIENT_MAX_CONNECTIONS_PER_ADDRESS", "maxConnectionsPerAddress");
        var engineConcurrency = Pick("--engine-concurrency", "GRADIENT_ENGINE_CONCURRENCY", "engineConcurrency");
        var logMaxSize = Pick("--log-max-size", "GRADIENT_LOG_MAX_SIZE", "logMaxSize");
        var apiConnections = Pick("--api-max-connections", "GRADIENT_API_MAX_CONNECTIONS", "apiMaxConnections");
        var logFollows = Pick("--max-log-follows", "GRADIENT_MAX_LOG_FOLLOWS", "maxLogFollows");
        var jobLimit = Pick("--workflow-job-limit", "GRADIENT_WORKFLOW_JOB_LIMIT", "workflowJobLimit");
        var jobMemory = Pick("--workflow-job-memory", "GRADIENT_WORKFLOW_JOB_MEMORY", "workflowJobMemory");
        var runsKept = Pick("--workflow-runs-kept", "GRADIENT_WORKFLOW_RUNS_KEPT", "workflowRunsKept");
        var logMaxFiles = Pick("--log-max-files", "GRADIENT_LOG_MAX_FILES", "logMaxFiles");
        var tlsCert = Pick("--tls-cert", "GRADIENT_TLS_CERT", "tlsCert");
        var tlsKey = Pick("--tls-key", "GRADIENT_TLS_KEY", "tlsKey");
        var tlsDir = Pick("--tls-dir", "GRADIENT_TLS_DIR", "tlsDir");
        var redirect = Pick("--https-redirect", "GRADIENT_HTTPS_REDIRECT", "httpsRedirect");
        var hsts = Pick("--hsts", "GRADIENT_HSTS", "hsts");
        var replicaNetwork = Pick("--replica-network", "GRADIENT_REPLICA_NETWORK", "replicaNetwork");
        if ((tlsCert is null) != (tlsKey is null))
        {
            throw HalfACertificatePair(tlsCert is null, sources);
        }

        var console = LoadConsole(file);
        try
        {
            return options with
            {
                ConsoleListen = console.Listen,
                ConsoleAllowRemote = console.AllowRemote,
                SpecsDir = LocationText.FullPath(Pick("--specs-dir", "GRADIENT_SPECS_DIR", "specsDir"), "--specs-dir") ?? Path.GetFullPath(options.SpecsDir),
                StateDir = LocationText.FullPath(Pick("--state-dir", "GRADIENT_STATE_DIR", "stateDir"), "--state-dir") ?? Path.GetFullPath(options.StateDir),
                RunDir = LocationText.FullPath(Pick("--run-dir", "GRADIENT_RUN_DIR", "runDir"), "--run-dir") ?? Path.GetFullPath(options.RunDir),
                SocketPath = LocationText.FullPath(Pick("--socket", "GRADIENT_SOCKET", "socket"), "--socket"),
                DockerHost = LocationText.DockerHost(Pick("--docker-host", "GRADIENT_DOCKER_HOST", "dockerHost")),
                Listen = ListenUrlText.Check(listen.Count > 0 ? listen : listenFromEnv ?? listenFromFile ?? options.Listen),
                Domain = Domain((Pick("--domain", "GRADIENT_DOMAIN", "domain") ?? options.Domain).ToLowerInvariant()), // host names are case-insensitive; URLs show them in lower case
                TlsCert = LocationText.FullPath(tlsCert, "--tls-cert"),
                TlsKey = LocationText.FullPath(tlsKey, "--tls-key"),
                TlsDir = LocationText.FullPath(tlsDir, "--tls-dir"),
                HttpsRedirect = redirect is null ? options.HttpsRedirect : NodeOptions.ParseSwitch(redirect, "--https-redirect"),
                Hsts = hsts is null || hsts.Trim() is "off" or "0" ? null : HstsMaxAge(hsts),
                NodeName = Pick("--node-name", "GRADIENT_NODE_NAME", "nodeName") ?? options.NodeName,
                Labels = labels,
                SocketGroup = Pick("--socket-group", "GRADIENT_SOCKET_GROUP", "socketGroup") ?? options.SocketGroup,
                ApiMaxConnections = apiConnections is null ? options.ApiMaxConnections : ContainerLimitsText.ParseCount(apiConnections, "--api-max-connections", min: 1),
                MaxLogFollows = logFollows is null ? options.MaxLogFollows : ContainerLimitsText.ParseCount(logFollows, "--max-log-follows", min: 0),
                GitLocalRoots = [.. gitRoots.Select(r => Path.GetFullPath(r))],
                ModelUploadLimit = uploadLimit is null ? options.ModelUploadLimit : ByteSizeText.Parse(uploadLimit, "--model-upload-limit"),
                DatasetKeep = datasetKeep is null ? options.DatasetKeep : ContainerLimitsText.ParseCount(datasetKeep, "--dataset-keep", min: 1),
                DatasetMaxEntries = datasetMaxEntries is null ? options.DatasetMaxEntries : ContainerLimitsText.ParseCount(datasetMaxEntries, "--dataset-max-entries", min: 1),
                MachineTypes = LoadMachineTypes(configPath ?? NodeOptions.DefaultConfigFile),
                ReadyWait = readyWait is null ? options.ReadyWait : TimeSpan.FromSeconds(NodeOptions.ParsePositiveSeconds(readyWait, "--ready-wait")),
                DrainTimeout = drainTimeout is null ? options.DrainTimeout : DurationText.Parse(drainTimeout, "--drain-timeout", allowZero: true),
                ProgressDeadline = progressDeadline is null ? options.ProgressDeadline : DurationText.Parse(progressDeadline, "--progress-deadline"),
                MaxHeldRequests = maxHeld is null ? options.MaxHeldRequests : ContainerLimitsText.ParseCount(maxHeld, "--max-held-requests", min: 0),
                EngineConcurrency = engineConcurrency is null ? options.EngineConcurrency : ContainerLimitsText.ParseCount(engineConcurrency, "--engine-concurrency", min: 1),
                ReplicaNetwork = replicaNetwork is null ? options.ReplicaNetwork : NetworkName(replicaNetwork.Trim()),
                MaxConnectionsPerAddress = perAddress is null ? options.MaxConnectionsPerAddress : ContainerLimitsText.ParseCount(perAddress, "--max-connections-per-address", min: 0),
                MaxReplicas = maxReplicas is null ? options.MaxReplicas : ContainerLimitsText.ParseCount(maxReplicas, "--max-replicas", min: 0),
                PidsLimit = pidsLimit is null ? options.PidsLimit : ContainerLimitsText.ParseCount(pidsLimit, "--pids-limit", min: 0),
                ContainersCgroup = containersCgroup is null ? options.ContainersCgroup : ContainersCgroupText.Parse(containersCgroup),
                LogMaxSize = logMaxSize is null ? options.LogMaxSize : ContainerLimitsText.ParseSize(logMaxSize, "--log-max-size"),
                LogMaxFiles = logMaxFiles is null ? options.LogMaxFiles : ContainerLimitsText.ParseCount(logMaxFiles, "--log-max-files", min: 1),
                WorkflowJobLimit = jobLimit is null ? options.WorkflowJobLimit : ContainerLimitsText.ParseCount(jobLimit, "--workflow-job-limit", min: 1),
                WorkflowJobMemory = jobMemory is null ? JobMemoryText.Default(hostMemory()) : JobMemoryText.Parse(jobMemory, "--workflow-job-memory", hostMemory()),
                WorkflowRunsKept = runsKept is null ? options.WorkflowRunsKept : ContainerLimitsText.ParseCount(runsKept, "--workflow-runs-kept", min: 0),
                PullStallTimeout = pullStall is null ? options.PullStallTimeout : DurationText.Parse(pullStall, "--pull-stall-timeout"),
                Autoscaler = options.Autoscaler with
                {
                    Interval = interval is null ? options.Autoscaler.Interval : DurationText.Parse(interval, "--autoscale-interval", max: Core.Autoscaling.AutoscalerOptions.MaxInterval),
                    ScaleDownStabilization = stabilization is null ? options.Autoscaler.ScaleDownStabilization : DurationText.Parse(stabilization, "--scale-down-stabilization", allowZero: true),
                },
            };
        }
        catch (UsageException ex) when (FromItsSource(ex, sources) is { } located)
        {
            throw located;
        }
    }

    /// <summary>
    /// Value errors start with the flag (<c>--hsts is at least 1s …</c>); a value from node.yaml or a variable is
    /// named as written there instead (<c>node.yaml:4:1: hsts is at least 1s …</c>, <c>GRADIENT_HSTS …</c>).
    /// </summary>
    private static UsageException? FromItsSource(UsageException ex, Dictionary<string, string> sources)
    {
        foreach (var (flag, source) in sources)
        {
            if (ex.Message.StartsWith(flag + " ", StringComparison.Ordinal))
            {
                return new UsageException(source + ex.Message[flag.Length..]);
            }
        }

        return null;
    }

    /// <summary>A certificate without its key, or a key without its certificate, named where it was written.</summary>
    private static UsageException HalfACertificatePair(bool keyOnly, Dictionary<string, string> sources)
    {
        var (present, missing, missingKey, missingVariable) = keyOnly
            ? ("--tls-key", "--tls-cert", "tlsCert", "GRADIENT_TLS_CERT")
            : ("--tls-cert", "--tls-key", "tlsKey", "GRADIENT_TLS_KEY");
        return sources.TryGetValue(present, out var source)
            ? new UsageException($"{source} needs {missingKey} ({missing}, {missingVariable})")
            : new UsageException($"{present} needs {missing}");
    }

    /// <summary>The domain deployments answer under; checked here so that every role refuses a bad one the same way.</summary>
    private static string Domain(string domain) =>
        GradientNode.Proxy.Routing.DomainName.IsValid(domain)
            ? domain
            : throw new UsageException($"--domain wants a host name ({GradientNode.Proxy.Routing.DomainName.Rule}), got '{domain}'");

    private static Core.Gpus.MachineTypeTable LoadMachineTypes(string path)
    {
        try
        {
            return Core.Gpus.MachineTypeConfig.Load(path);
        }
        catch (FormatException ex)
        {
            throw new UsageException(ex.Message);
        }
    }

    /// <summary>node.yaml <c>console: {listen: HOST:PORT, allowRemote: false}</c> (docs/reference/cli.md#nodeyaml).</summary>
    private static (WebConsole.ListenAddress? Listen, bool AllowRemote) LoadConsole(NodeConfigFile file)
    {
        switch (file.GetValueOrDefault("console"))
        {
            case null:
                return (null, false);
            case Dictionary<string, string> map:
                var at = file.Where("console");
                foreach (var key in map.Keys.Where(k => k is not ("listen" or "allowRemote")))
                {
                    throw new UsageException($"{at}: console: unknown key '{key}' (console takes listen and allowRemote)");
                }

                if (!map.TryGetValue("listen", out var listen) || string.IsNullOrWhiteSpace(listen))
                {
                    throw new UsageException($"{at}: console: missing listen (e.g. console: {{listen: {WebConsole.ListenAddress.Default}}})");
                }

                var allowRemote = map.TryGetValue("allowRemote", out var remote) && NodeOptions.ParseSwitch(remote, "console.allowRemote");
                try
                {
                    return (WebConsole.ListenAddress.Parse(listen, allowRemote, "console.listen"), allowRemote);
                }
                catch (UsageException ex)
                {
                    throw new UsageException($"{at}: {ex.Message}");
                }

            default:
                throw new UsageException($"{file.Where("console")}: console: expected a map, e.g. console: {{listen: {WebConsole.ListenAddress.Default}}}");
        }
    }

    /// <summary>The longest <c>max-age</c> taken: two years, what preload lists ask for at most; a typo of more would pin browsers to https for decades.</summary>
    private static readonly TimeSpan HstsLongest = TimeSpan.FromDays(730);

    /// <summary>
    /// <c>max-age</c> counts whole seconds: under one second it would be <c>max-age=0</c>, which tells browsers to drop
    /// HSTS, and a fraction (<c>1.5s</c>) would be cut without a word; both are usage errors, as is more than two years.
    /// </summary>
    private static TimeSpan HstsMaxAge(string text)
    {
        var age = DurationText.Parse(text, "--hsts");
        if (age < TimeSpan.FromSeconds(1))
        {
            throw new UsageException($"--hsts is at least 1s (max-age counts whole seconds; '{text}' would send max-age=0, which makes browsers forget HSTS); use off for none");
        }

        if (age.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new UsageException($"--hsts counts whole seconds (the header's max-age), got '{text}', which is {age.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)}s; write e.g. {Math.Floor(age.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture)}s");
        }

        return age <= HstsLongest
            ? age
            : throw new UsageException($"--hsts is at most 730d (two years: browsers would keep to https that long after a mistake), got '{text}'");
    }

    /// <summary>A name the engine takes for a network of its own; never <c>host</c> or <c>none</c> (the proxy reaches replicas by their address on a bridge).</summary>
    private static string NetworkName(string name) =>
        name is "host" or "none"
            ? throw new UsageException($"--replica-network cannot be '{name}': replicas need an address of their own on a bridge (use bridge for the engine's default one)")
            : System.Text.RegularExpressions.Regex.IsMatch(name, @"^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}\z")
                ? name
                : throw new UsageException($"--replica-network wants a network name (letters, digits, '_', '.', '-'), got '{name}'");

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
