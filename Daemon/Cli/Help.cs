namespace GradientNode.Daemon.Cli;

internal static class Help
{
    public const string Text = """
        gradient-node: Gradient deployment specs as health-checked endpoints on one GPU box.

        Roles (long-running):
          up        daemon and proxy in one process (quick start, tests)
          daemon    reconciler + API on the unix socket
          proxy     the endpoint proxy alone (reads routes from the run dir)
            --specs-dir DIR     spec files to serve        (/etc/gradient/specs, GRADIENT_SPECS_DIR)
            --state-dir DIR     secrets, volumes, last good specs (/var/lib/gradient, GRADIENT_STATE_DIR)
            --run-dir DIR       socket, route table        (/run/gradient, GRADIENT_RUN_DIR)
            --socket PATH       API socket                 (<run-dir>/gradient.sock, GRADIENT_SOCKET)
            --docker-host URL   Docker engine              ($DOCKER_HOST, else unix:///var/run/docker.sock)
            --listen URL        proxy address, http:// or https://, repeatable (http://0.0.0.0:8080, GRADIENT_LISTEN)
            --tls-cert FILE --tls-key FILE  PEM wildcard certificate for *.<domain> (GRADIENT_TLS_CERT/_KEY)
            --tls-dir DIR       per-host certificates by SNI: NAME.crt + NAME.key or NAME.pem (GRADIENT_TLS_DIR)
                                none given: the node's own CA in <state-dir>/tls issues one (gradient-node tls ca)
            --https-redirect on|off  plain-HTTP requests get 308 to https when an https listener exists (on)
            --hsts D            Strict-Transport-Security max-age on https responses, e.g. 180d (off)
            --domain NAME       hello answers at hello.<domain> (localhost, GRADIENT_DOMAIN)
            --node-name NAME    label gradient.node on containers (default, GRADIENT_NODE_NAME)
            --label K=V         extra container label, repeatable (GRADIENT_LABELS=k=v,k=v)
            --ready-wait SECS   how long the proxy holds a request for a ready replica (30)
            --max-held-requests N  requests held per deployment while none is ready; more get 503 (100)
            --max-connections-per-address N  connections one client (IPv4 address, IPv6 /64) may hold
                                open at the proxy; more are closed when accepted; 0 = no limit (1000)
            --max-replicas N    most replicas of all deployments together; more wait, named in status,
                                and running ones are never stopped for room; 0 = no limit (1000)
            --pids-limit N      most processes/threads per replica container, 0 = no limit (4096)
            --containers-cgroup SLICE  the slice every container is created under, whose TasksMax bounds
                                their pids together; none = the engine's default (gradient-node-containers.slice)
            --replica-network NAME  the engine network replicas join, made by the node; local users
                                are kept off it; bridge = the engine's default, unprotected (gradient-node)
            --engine-concurrency N  container create/start/remove calls at once (4 per core, 8..16)
            --log-max-size SIZE --log-max-files N  json-file log rotation of replicas (10m, 3)
            --socket-group NAME group allowed on the socket (gradient, GRADIENT_SOCKET_GROUP)
            --api-max-connections N  API socket connections open at once for the group; root keeps 64 more (256)
            --max-log-follows N  logs followed at once by logs -f (64; 0 = none): 16 kept for root, 24 at most per member
            --drain-timeout D   wait for in-flight requests before stopping a replica (30s)
            --progress-deadline D  a rollout stops when no new replica is ready for D (10m)
            --pull-stall-timeout D  an image pull with no progress for D is stopped and retried (2m)
            --autoscale-interval D  how often autoscaled deployments are evaluated (2s)
            --scale-down-stabilization D  scale down to the highest recommendation of D (5m)
                                durations: 20s, 5m, 1m30s, 500ms, or plain seconds
            --git-local-root DIR  local git remotes (file://, paths) must lie under DIR; repeatable (none)
            --model-upload-limit SIZE  the most one models add / datasets upload may hold (50G)
            --dataset-keep N    newest versions of each dataset gc always keeps (5)
            --dataset-max-entries N  files and folders one dataset version may hold (1000000)
            --workflow-job-limit N  workflow jobs that run at once, all runs together (4)
            --workflow-job-memory SIZE|N%|none  most memory of a CPU workflow job, below its instance
                                type's; none = the type's (50% of the host's memory)
            --workflow-runs-kept N  ended runs kept per workflow; older ones are deleted, 0 keeps all (100)
            --config FILE       settings file              (/etc/gradient/node.yaml, GRADIENT_CONFIG)

        Client verbs (talk to --socket / GRADIENT_SOCKET):
          validate FILE... | -f FILE            check deployment or workflow files (exit 1, file:line:col: message); a running
                                                daemon is asked what a deployment names that it lacks (warnings)
          apply -f FILE [--wait [--timeout D]]  validate, then write the spec into the specs dir; --wait follows the
                                                rollout (exit 0 rolled out, 1 failed, 124 --timeout passed, 130 Ctrl-C)
          apply -f FILE --dry-run               the same as diff
          diff -f FILE                          what would change: unified diff of the normalised spec and the plan
                                                in words (exit 0 no change, 1 changes, 2 error)
          export [NAME | FILE | -f FILE]... [--namespace NS] [--domain D] [-o DIR] [--template] [--pvc] [--node-selector K=V]
                 [--pvc-size SIZE] [--storage-class NAME] [--git-image IMAGE] [--s3-image IMAGE] [--ingress-namespace NS]
                 [--service-account NAME]
                                                specs as Kubernetes/KEDA/Argo YAML, offline (docs/design/export.md)
          ls [-o json|yaml|wide|text]           deployments and their state
          get NAME [-o json|yaml|wide|text]     one deployment's status
          delete NAME                           remove the spec (its replicas stop)
          restart NAME [--wait [--timeout D]]   replace every replica (new before old), re-reading its secrets
          scale NAME N | --replicas N [--wait [--timeout D]]
                                                set resources.replicas in the spec file (0..64); --wait follows it
                                                as apply --wait does
          logs NAME [-f] [-t] [--tail N] [--replica I] [--raw]
          node [-o json|yaml|text]              engine, versions, GPUs
          console [--listen 127.0.0.1:7080] [--open]   the web console on loopback (docs/design/console.md)
          secrets set NAME [--from-file F]      store a secret (value on stdin); secrets ls; secrets rm NAME
          registries add NAME --url URL --username U --password-stdin [--namespace NS]
          registries ls | rm NAME | test NAME   stored registry connections (passwords never shown)
          models add ID --from DIR              upload DIR (read as you) into the model store as ID's next version
          models ls [-o json] | rm ID           the local model store (model integrations, legacy models)
          datasets create NAME [--description D] | ls [-o json]
          datasets versions NAME [-o json]      its versions, newest first
          datasets get REF [-o json|yaml]       REF: NAME (latest), NAME:VERSION or NAME:TAG
          datasets upload NAME DIR [--message M] | download REF DIR
                                                files go as a tar over the socket, read/written as you
          datasets tag NAME:VERSION TAG | untag NAME:TAG | rm NAME[:VERSION]
          datasets gc [--dry-run] [-o json]     free disk now (--dry-run: list what would go, and why)
          workflows run -f FILE [--name N] [--inputs FILE] [--wait]
                                                start a run (name: the file's base name); --wait prints job phases
          workflows ls | runs NAME | get NAME [RUN] (each [-o text|json|yaml]) | cancel NAME RUN
          workflows delete NAME RUN             remove an ended run: its folder, kept logs and outputs' record
          workflows delete NAME --all           remove every ended run; running ones are left and named (exit 1)
          workflows logs NAME [RUN] [--job J] [-f] [--tail N] [--raw]
                                                the jobs' logs ([JOB] first when several); --tail N: each job's last N lines
                                                get and logs without RUN: the newest run
          fetch s3://BUCKET/PREFIX DIR [--endpoint URL] [--region R]
                                                an s3 integration's download alone (keys: AWS_ACCESS_KEY_ID/_SECRET_ACCESS_KEY)
          schema [deployment|workflow]          the JSON Schema of spec files (for editors)
          tls ca [--state-dir DIR]              print the node CA certificate (PEM) for clients to trust
          version

        Exit codes: 0 ok, 1 failed, 2 usage error, 3 daemon unreachable, 124 --wait timed out, 130 --wait interrupted.
        """;

    /// <summary>The pointer under a verb's own help to the whole text.</summary>
    public const string WholeHelpPointer = "The roles' options and every verb: gradient-node --help";

    /// <summary>
    /// The help for <paramref name="verb"/> (<c>gradient-node VERB --help</c>, <c>gradient-node help VERB</c>): a role
    /// (<c>up</c>, <c>daemon</c>, <c>proxy</c>) gets the roles and their options; a client verb gets its own lines of the
    /// client verbs (every sub-command of <c>datasets</c>, say) with the exit codes, and a pointer to the whole text; any
    /// other word (none, or a verb the help does not name) gets the whole text.
    /// </summary>
    public static string For(string? verb)
    {
        var lines = Text.Split('\n');
        var clients = Array.FindIndex(lines, l => l.StartsWith("Client verbs", StringComparison.Ordinal));
        var exits = Array.FindIndex(lines, l => l.StartsWith("Exit codes", StringComparison.Ordinal));
        if (verb is null || clients < 0 || exits < 0)
        {
            return Text;
        }

        if (verb is "up" or "daemon" or "proxy")
        {
            return string.Join('\n', lines[..clients]).TrimEnd() + "\n\n" + WholeHelpPointer + "\n";
        }

        var own = new List<string>();
        var inVerb = false;
        foreach (var line in lines[(clients + 1)..exits])
        {
            // A verb's line starts at column 2 with its name; its continuation lines are indented deeper.
            var starts = line.Length > 2 && line[2] != ' ' && line.StartsWith("  ", StringComparison.Ordinal);
            if (starts)
            {
                var word = line[2..].Split(' ', 2)[0];
                inVerb = string.Equals(word, verb, StringComparison.Ordinal);
            }
            else if (line.Trim().Length == 0)
            {
                inVerb = false;
            }

            if (inVerb)
            {
                own.Add(line);
            }
        }

        return own.Count == 0
            ? Text
            : $"{string.Join('\n', own)}\n\n{lines[exits]}\n{WholeHelpPointer}\n";
    }

    /// <summary>
    /// True when <c>--help</c> or <c>-h</c> comes anywhere before <c>--</c>, after any verb: <c>gradient-node up --help</c>
    /// prints the help instead of starting a node with the default directories and listener.
    /// </summary>
    public static bool IsRequested(IEnumerable<string> args) => args.TakeWhile(a => a != "--").Any(a => a is "--help" or "-h");
}
