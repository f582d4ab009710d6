using GradientNode.Daemon.Api;
using GradientNode.Daemon.Cli;
using GradientNode.Daemon.Cli.Terminal;
using GradientNode.Daemon.Cli.Wait;
using GradientNode.Daemon.Configuration;
using GradientNode.Daemon.Hosting;

namespace GradientNode.Daemon;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Out.Write(Help.Text);
            return ExitCodes.Usage;
        }

        // Options may come before the verb (gradient-node --socket S ls): the verb is the first word that is not an option's.
        var at = 0;
        while (at < args.Length && args[at].StartsWith('-') && args[at] is not ("--version" or "-h" or "--help"))
        {
            at += args[at].Contains('=', StringComparison.Ordinal) || ParsedArgs.IsFlag(args[at]) ? 1 : 2;
        }

        if (args[0] is "help" || Help.IsRequested(args))
        {
            // gradient-node help VERB, gradient-node VERB --help: the verb's own lines; --help alone: the whole text.
            var asked = args[0] is "help" ? args.ElementAtOrDefault(1) : at < args.Length && !args[at].StartsWith('-') ? args[at] : null;
            Console.Out.Write(Help.For(asked));
            return ExitCodes.Ok;
        }

        if (at >= args.Length)
        {
            Console.Error.WriteLine("gradient-node: no verb given (see gradient-node --help)");
            return ExitCodes.Usage;
        }

        var verb = args[at];
        var rest = args.Take(at).Concat(args.Skip(at + 1)).ToList();
        try
        {
            return await RunAsync(verb, rest);
        }
        catch (UsageException ex)
        {
            Console.Error.WriteLine($"gradient-node {verb}: {ex.Message} (see gradient-node --help)");
            return ExitCodes.Usage;
        }
        catch (DaemonUnreachableException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return ExitCodes.Unreachable;
        }
        catch (ArgumentException ex) when (verb is "up" or "daemon" or "proxy")
        {
            // Options the roles reject (e.g. an ftp:// listen URL) are usage errors, not crashes; without the
            // " (Parameter 'options')" that ArgumentException adds to its message.
            var message = ex.ParamName is { } name ? ex.Message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal) : ex.Message;
            Console.Error.WriteLine($"gradient-node {verb}: {message}");
            return ExitCodes.Usage;
        }
        catch (StartupException ex)
        {
            Console.Error.WriteLine($"gradient-node {verb}: {ex.Message}");
            return ExitCodes.Failed;
        }
        catch (Exception ex) when (verb is "up" or "proxy" && (ex is Microsoft.AspNetCore.Connections.AddressInUseException || ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException))
        {
            Console.Error.WriteLine($"gradient-node {verb}: {AddressInUseText.For(ex.Message)}");
            return ExitCodes.Failed;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            Console.Error.WriteLine($"gradient-node {verb}: {ex.Message}");
            return ExitCodes.Failed;
        }
    }

    private static async Task<int> RunAsync(string verb, List<string> rest)
    {
        switch (verb)
        {
            case "up" or "daemon" or "proxy":
                var roleArgs = ParsedArgs.Parse(rest);
                return await RoleRunner.RunAsync(verb, NodeOptionsLoader.Load(roleArgs, Environment.GetEnvironmentVariable), () => NodeOptionsLoader.Load(roleArgs, Environment.GetEnvironmentVariable));
            case "version" or "--version":
                ClientVerbOptions.Check(verb, ParsedArgs.Parse(rest));
                Console.Out.WriteLine($"gradient-node {NodeEndpoints.Version}");
                return ExitCodes.Ok;
            case "fetch":
                return await FetchCommand.RunAsync(ParsedArgs.Parse(rest), TerminalSafeWriter.Fields(Console.Out), TerminalSafeWriter.Fields(Console.Error), CancellationToken.None);
            case "schema":
                return SchemaCommand.Run(ParsedArgs.Parse(rest), Console.Out);
            case "export":
                return ExportCommand.Run(ParsedArgs.Parse(rest, ExportCommand.Flags), Console.Out, TerminalSafeWriter.Fields(Console.Error)); // stdout: the manifests, exact
            case "tls":
                return await TlsCommand.RunAsync(ParsedArgs.Parse(rest), Environment.GetEnvironmentVariable, Console.Out, Console.Error, async (options, token) =>
                {
                    using var node = new ApiClient(options.Socket);
                    return await TlsCommand.AskAsync(node, token);
                });
            case "validate":
                var validateArgs = ParsedArgs.Parse(rest);
                var validateFiles = ValidateFiles(validateArgs);
                using (var node = new ApiClient(validateArgs.Get("--socket") ?? Environment.GetEnvironmentVariable("GRADIENT_SOCKET") ?? ClientSocketDefault(validateArgs)))
                {
                    // A daemon that does not answer within the bound is not waited for: validate then says nothing of the stores.
                    using var bound = new CancellationTokenSource(NodeStores.ValidateBound, TimeProvider.System);
                    return await ClientCommands.ValidateAsync(validateFiles, TerminalSafeWriter.Fields(Console.Out), TerminalSafeWriter.Fields(Console.Error), ct => NodeStores.TryReadAsync(node, ct), (file, text, ct) => WorkflowStoreCheck.TryAsync(node, file, text, ct), bound.Token);
                }
        }

        // apply/diff: -f names the file. workflows run: -f names the file; workflows logs: -f follows.
        var parsed = verb is "apply" or "diff"
            ? ParsedArgs.Parse(rest, "--wait", "--dry-run")
            : verb != "workflows" ? ParsedArgs.Parse(rest, "-f", "--follow", "-t", "--timestamps", "--password-stdin", "--wait", "--open", "--raw")
            : rest.FirstOrDefault(a => !a.StartsWith('-')) == "run" ? ParsedArgs.Parse(rest, "--wait")
            : ParsedArgs.Parse(rest, "-f", "--follow", "--wait", "--all", "--raw");

        ClientVerbOptions.Check(verb, parsed);
        var socket = parsed.Get("--socket") ?? Environment.GetEnvironmentVariable("GRADIENT_SOCKET") ?? ClientSocketDefault(parsed);
        using var api = new ApiClient(socket);
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        // What the node prints that a container or a spec author wrote (messages, exit reasons, outputs, errors) shows its
        // control characters as text; a log keeps its colours and \r on a terminal and passes unchanged to a pipe or a
        // file, or with --raw (TerminalFilter; docs/design/security.md).
        var stdout = TerminalSafeWriter.Fields(Console.Out);
        var stderr = TerminalSafeWriter.Fields(Console.Error);
        var logsOnTerminal = !Console.IsOutputRedirected && !parsed.Has("--raw");
        var commands = new ClientCommands(api, stdout, stderr, TerminalWidth.OfStdout());
        var deploy = new DeployCommands(api, stdout, stderr, ProgressViews.ForConsole(), TimeProvider.System);
        var timeout = parsed.Get("--timeout") is { } limit ? DurationText.Parse(limit, "--timeout") : (TimeSpan?)null;
        if (timeout is not null && !parsed.Has("--wait"))
        {
            throw new UsageException("--timeout goes with --wait");
        }
        var format = parsed.Get("-o", "--output");
        return verb switch
        {
            "apply" when parsed.Has("--dry-run") => parsed.Has("--wait")
                ? throw new UsageException("--dry-run changes nothing, so there is nothing to --wait for")
                : await deploy.DiffAsync(SpecFile(parsed, verb), cancel.Token),
            "apply" => await deploy.ApplyAsync(SpecFile(parsed, verb), parsed.Has("--wait"), timeout, cancel.Token),
            "diff" => await deploy.DiffAsync(SpecFile(parsed, verb), cancel.Token),
            "ls" or "list" => await commands.ListAsync(format, cancel.Token),
            "get" => await commands.GetAsync(Name(parsed, verb), format, cancel.Token),
            "delete" or "rm" => await commands.DeleteAsync(Name(parsed, verb), cancel.Token),
            "restart" => await deploy.RestartAsync(Name(parsed, verb), parsed.Has("--wait"), timeout, cancel.Token),
            "scale" => await ScaleAsync(deploy, parsed, timeout, cancel.Token),
            "logs" => await commands.LogsAsync(
                Name(parsed, verb),
                parsed.Has("-f", "--follow"),
                ClientVerbOptions.Count("--tail", parsed.Get("--tail")),
                ClientVerbOptions.Count("--replica", parsed.Get("--replica")),
                parsed.Has("-t", "--timestamps"),
                logsOnTerminal,
                cancel.Token),
            "models" => await new StoreCommands(api, stdout, stderr).RunAsync(verb, parsed, cancel.Token),
            "datasets" => await new DatasetCommands(api, stdout, stderr, DatasetProgress.ForConsole(), TerminalWidth.OfStdout()).RunAsync(parsed, cancel.Token),
            "workflows" => await new WorkflowCommands(api, stdout, stderr, TimeProvider.System, TerminalWidth.OfStdout(), logsOnTerminal ? TerminalSafeWriter.Logs(Console.Out) : Console.Out).RunAsync(parsed, cancel.Token),
            "secrets" or "registries" => await new SecretCommands(api, Console.OpenStandardInput(), stdout, stderr, Console.IsInputRedirected ? null : HiddenInput.Read).RunAsync(verb, parsed, cancel.Token),
            "console" => await WebConsole.ConsoleCommand.RunAsync(parsed, socket, Console.Out, cancel.Token),
            "node" => format is null or "text" or "json" or "yaml"
                ? await commands.NodeAsync(format, cancel.Token)
                : throw new UsageException($"node prints a summary, or its fields with -o json|yaml; -o takes json, yaml or text, not '{format}'"),
            _ => throw new UsageException(UsageHints.UnknownVerb(verb)),
        };
    }

    private static string SpecFile(ParsedArgs parsed, string verb) =>
        parsed.Get("-f", "--filename") ?? parsed.Positionals.FirstOrDefault() ?? throw new UsageException($"{verb} needs -f FILE");

    private static Task<int> ScaleAsync(DeployCommands deploy, ParsedArgs parsed, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        _ = Name(parsed, "scale");
        var (words, replicas) = ClientVerbOptions.Scale(parsed.Positionals, parsed.Get("--replicas"));
        return deploy.ScaleAsync(string.Join(' ', words), replicas, parsed.Has("--wait"), timeout, cancellationToken);
    }

    private static string Name(ParsedArgs parsed, string verb) =>
        parsed.Positionals.Count > 0 ? string.Join(' ', parsed.Positionals) : throw new UsageException($"{verb} needs a deployment NAME");

    /// <summary><c>validate FILE...</c>, and <c>-f FILE</c> (repeatable) as <c>apply</c>, <c>diff</c> and <c>export</c> take it.</summary>
    private static IReadOnlyList<string> ValidateFiles(ParsedArgs parsed)
    {
        // --socket and --run-dir, which every client verb takes, say where a running daemon is asked what its stores hold.
        if (parsed.OptionNames.Concat(parsed.SetFlags).FirstOrDefault(n => n is not ("-f" or "--filename" or "--socket" or "--run-dir")) is { } unknown)
        {
            throw new UsageException($"validate does not take {unknown} (validate FILE... or validate -f FILE)");
        }

        return [.. parsed.GetAll("-f", "--filename"), .. parsed.Positionals];
    }

    private static string ClientSocketDefault(ParsedArgs parsed) =>
        Path.Combine(parsed.Get("--run-dir") ?? Environment.GetEnvironmentVariable("GRADIENT_RUN_DIR") ?? "/run/gradient", "gradient.sock");
}
