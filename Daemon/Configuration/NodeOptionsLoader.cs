using GradientNode.Daemon.Cli;
using YamlDotNet.RepresentationModel;

namespace GradientNode.Daemon.Configuration;

/// <summary>Builds <see cref="NodeOptions"/> from the command line, the environment and node.yaml.</summary>
internal static class NodeOptionsLoader
{
    private static readonly string[] Known =
    [
        "--specs-dir", "--state-dir", "--run-dir", "--socket", "--docker-host", "--listen", "--domain",
        "--node-name", "--label", "--config", "--ready-wait", "--socket-group",
        "--autoscale-interval", "--scale-down-stabilization", "--drain-timeout", "--progress-deadline",
        "--pull-stall-timeout",
    ];

    public static NodeOptions Load(ParsedArgs args, Func<string, string?> env)
    {
        foreach (var name in args.OptionNames.Where(n => !Known.Contains(n)))
        {
            throw new UsageException($"unknown option {name}");
        }

        var configPath = args.Get("--config") ?? env("GRADIENT_CONFIG");
        var file = ReadFile(configPath ?? NodeOptions.DefaultConfigFile, mustExist: configPath is not null);
        var options = new NodeOptions();

        string? Pick(string flag, string variable, string key) => args.Get(flag) ?? NonEmpty(env(variable)) ?? file.GetValueOrDefault(key) as string;

        var listen = args.GetAll("--listen");
        var listenFromEnv = NonEmpty(env("GRADIENT_LISTEN"))?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var listenFromFile = file.GetValueOrDefault("listen") switch
        {
            string one => [one],
            List<string> many => many,
            _ => null,
        };

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (file.GetValueOrDefault("labels") is Dictionary<string, string> fileLabels)
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

        var readyWait = Pick("--ready-wait", "GRADIENT_READY_WAIT", "readyWaitSeconds");
        var interval = Pick("--autoscale-interval", "GRADIENT_AUTOSCALE_INTERVAL", "autoscaleInterval");
        var drainTimeout = Pick("--drain-timeout", "GRADIENT_DRAIN_TIMEOUT", "drainTimeout");
        var progressDeadline = Pick("--progress-deadline", "GRADIENT_PROGRESS_DEADLINE", "progressDeadline");
        var pullStall = Pick("--pull-stall-timeout", "GRADIENT_PULL_STALL_TIMEOUT", "pullStallTimeout");
        var stabilization = Pick("--scale-down-stabilization", "GRADIENT_SCALE_DOWN_STABILIZATION", "scaleDownStabilization");
        return options with
        {
            SpecsDir = Path.GetFullPath(Pick("--specs-dir", "GRADIENT_SPECS_DIR", "specsDir") ?? options.SpecsDir),
            StateDir = Path.GetFullPath(Pick("--state-dir", "GRADIENT_STATE_DIR", "stateDir") ?? options.StateDir),
            RunDir = Path.GetFullPath(Pick("--run-dir", "GRADIENT_RUN_DIR", "runDir") ?? options.RunDir),
            SocketPath = Pick("--socket", "GRADIENT_SOCKET", "socket") is { } socket ? Path.GetFullPath(socket) : null,
            DockerHost = Pick("--docker-host", "GRADIENT_DOCKER_HOST", "dockerHost"),
            Listen = listen.Count > 0 ? listen : listenFromEnv ?? listenFromFile ?? options.Listen,
            Domain = Pick("--domain", "GRADIENT_DOMAIN", "domain") ?? options.Domain,
            NodeName = Pick("--node-name", "GRADIENT_NODE_NAME", "nodeName") ?? options.NodeName,
            Labels = labels,
            SocketGroup = Pick("--socket-group", "GRADIENT_SOCKET_GROUP", "socketGroup") ?? options.SocketGroup,
            MachineTypes = LoadMachineTypes(configPath ?? NodeOptions.DefaultConfigFile),
            ReadyWait = readyWait is null ? options.ReadyWait : TimeSpan.FromSeconds(NodeOptions.ParsePositiveSeconds(readyWait, "--ready-wait")),
            DrainTimeout = drainTimeout is null ? options.DrainTimeout : DurationText.Parse(drainTimeout, "--drain-timeout", allowZero: true),
            ProgressDeadline = progressDeadline is null ? options.ProgressDeadline : DurationText.Parse(progressDeadline, "--progress-deadline"),
            PullStallTimeout = pullStall is null ? options.PullStallTimeout : DurationText.Parse(pullStall, "--pull-stall-timeout"),
            Autoscaler = options.Autoscaler with
            {
                Interval = interval is null ? options.Autoscaler.Interval : DurationText.Parse(interval, "--autoscale-interval"),
                ScaleDownStabilization = stabilization is null ? options.Autoscaler.ScaleDownStabilization : DurationText.Parse(stabilization, "--scale-down-stabilization", allowZero: true),
            },
        };
    }

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

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>Reads node.yaml's top-level keys: strings, string lists and one string map (labels).</summary>
    private static Dictionary<string, object> ReadFile(string path, bool mustExist)
    {
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return mustExist ? throw new UsageException($"config file {path} does not exist") : values;
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(File.ReadAllText(path)));
        }
        catch (YamlDotNet.Core.YamlException ex)
        {
            throw new UsageException($"{path}:{ex.Start.Line}:{ex.Start.Column}: {ex.Message}");
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return values;
        }

        foreach (var (keyNode, valueNode) in root.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value ?? string.Empty;
            values[key] = valueNode switch
            {
                YamlScalarNode scalar => scalar.Value ?? string.Empty,
                YamlSequenceNode list => list.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? string.Empty).ToList(),
                YamlMappingNode map => map.Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value ?? string.Empty, p => (p.Value as YamlScalarNode)?.Value ?? string.Empty, StringComparer.Ordinal),
                _ => throw new UsageException($"{path}:{valueNode.Start.Line}:{valueNode.Start.Column}: unsupported value for {key}"),
            };
        }

        return values;
    }
}
