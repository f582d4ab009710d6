using GradientNode.Core.Specs.Parsing;

namespace GradientNode.Daemon.Cli;

/// <summary>
/// The "did you mean" tail of a usage error: a verb or long option one or two typos away from a known one
/// (<c>aply</c>, <c>--wiat</c>), and the words other tools use for a verb of ours (<c>status</c>, <c>rollout</c>).
/// Short options (<c>-x</c>) get none: every other one is a single edit away.
/// </summary>
internal static class UsageHints
{
    private static readonly string[] Verbs =
    [
        "up", "daemon", "proxy", "validate", "apply", "diff", "export", "ls", "list", "get", "delete", "rm", "restart", "scale",
        "logs", "node", "console", "secrets", "registries", "models", "datasets", "workflows", "fetch", "schema", "tls",
        "version", "help",
    ];

    /// <summary>kamal's <c>rollback</c>, fly's <c>releases</c>: the node keeps no spec history, so the way back is the older file.</summary>
    private const string NoHistory =
        "'apply -f FILE' with the previous spec file (the node keeps no history of specs: keep them in git, then 'git checkout' the old one and apply it; 'diff -f FILE' shows what would change)";

    /// <summary>docker compose's <c>exec</c>, kamal's <c>app exec</c>, fly's <c>ssh console</c>: the node has no shell verb, a replica is a plain container.</summary>
    private const string Shell =
        "'docker exec -it CONTAINER sh' (a replica is a Docker container on this node; 'get NAME' lists each one's CONTAINER)";

    /// <summary>compose's <c>top</c>/<c>stats</c>.</summary>
    private const string Stats = "'get NAME' (its traffic and, when it autoscales, its CPU) or 'node' (CPU, memory, GPUs); 'docker stats' for each container";

    private static readonly Dictionary<string, string> OtherTools = new(StringComparer.OrdinalIgnoreCase)
    {
        ["exec"] = Shell,
        ["ssh"] = Shell,
        ["shell"] = Shell,
        ["sh"] = Shell,
        ["attach"] = Shell,
        ["run"] = "'workflows run -f FILE' (a workflow) or 'apply -f FILE' (a deployment)",
        ["start"] = "'scale NAME --replicas N' (after 'scale NAME --replicas 0'), or 'apply -f FILE' (a new deployment)",
        ["top"] = Stats,
        ["stats"] = Stats,
        ["status"] = "'get NAME' (one deployment) or 'ls' (all)",
        ["describe"] = "'get NAME'",
        ["show"] = "'get NAME'",
        ["inspect"] = "'get NAME'",
        ["ps"] = "'ls'",
        ["rollout"] = "'restart NAME' (or 'apply -f FILE --wait' for a new version)",
        ["remove"] = "'delete NAME'",
        ["events"] = "'get NAME' (each replica's recent history) or the daemon's log (journalctl -u gradient-node)",
        ["deploy"] = "'apply -f FILE' (add --wait to follow the rollout)",
        ["create"] = "'apply -f FILE'",
        ["destroy"] = "'delete NAME'",
        ["stop"] = "'scale NAME --replicas 0'",
        ["disable"] = "'scale NAME --replicas 0' (or enabled: false in its spec file, then 'apply -f FILE')",
        ["enable"] = "'scale NAME --replicas N' (or enabled: true in its spec file, then 'apply -f FILE')",
        ["gpus"] = "'node' (its summary lists the GPUs)",
        ["gpu"] = "'node' (its summary lists the GPUs)",
        ["info"] = "'node'",
        ["rollback"] = NoHistory,
        ["history"] = NoHistory,
        ["releases"] = NoHistory,
        ["undo"] = NoHistory,
    };

    /// <summary>Options other tools spell differently (docker/kubectl logs' <c>-n</c>), pointed at ours when the verb takes it.</summary>
    private static readonly Dictionary<string, string> OtherToolOptions = new(StringComparer.Ordinal)
    {
        ["-n"] = "--tail",
        ["--lines"] = "--tail",
    };

    /// <summary>
    /// Other tools' output flags (fly, gh, kamal: <c>--json</c>; docker, compose: <c>--format json</c>) and what this
    /// CLI takes instead, for a verb that takes <c>-o</c>.
    /// </summary>
    private static readonly Dictionary<string, string> OtherToolOutputFlags = new(StringComparer.Ordinal)
    {
        ["--json"] = "'-o json'",
        ["--yaml"] = "'-o yaml'",
        ["--format"] = "'-o' (-o json, -o yaml)",
    };

    /// <summary><c>unknown verb 'aply'; did you mean 'apply'?</c>, or without the hint when nothing is close.</summary>
    public static string UnknownVerb(string verb)
    {
        ArgumentNullException.ThrowIfNull(verb);
        var hint = OtherTools.TryGetValue(verb, out var ours) ? ours
            : KeySuggester.Suggest(verb, Verbs) is { } close ? $"'{close}'"
            : null;
        return hint is null ? $"unknown verb '{verb}'" : $"unknown verb '{verb}'; did you mean {hint}?";
    }

    /// <summary><paramref name="message"/> plus <c>; did you mean '--wait'?</c> when <paramref name="option"/> is a long option close to one of <paramref name="known"/>.</summary>
    public static string WithOptionHint(string message, string option, IEnumerable<string> known)
    {
        ArgumentNullException.ThrowIfNull(option);
        ArgumentNullException.ThrowIfNull(known);
        var knownList = known.ToList();
        if (OtherToolOptions.TryGetValue(option, out var ours) && knownList.Contains(ours))
        {
            return $"{message}; did you mean '{ours}'?";
        }

        if (OtherToolOutputFlags.TryGetValue(option, out var output) && knownList.Contains("-o"))
        {
            return $"{message}; did you mean {output}?";
        }

        return option.StartsWith("--", StringComparison.Ordinal)
            && KeySuggester.Suggest(option, knownList.Where(k => k.StartsWith("--", StringComparison.Ordinal))) is { } close
            && close != option
            ? $"{message}; did you mean '{close}'?"
            : message;
    }
}
