using System.Globalization;
using System.Text;
using System.Text.Json;
using GradientNode.Core.Common;
using GradientNode.Core.Specs;
using GradientNode.Core.Specs.Parsing;
using GradientNode.Core.Workflows.Runs;
using GradientNode.Core.Workflows.Specs;
using GradientNode.Daemon.Api;
using GradientNode.Daemon.Cli.Wait;

namespace GradientNode.Daemon.Cli;

/// <summary>
/// <c>workflows run|ls|runs|get|logs|cancel|delete</c>. <c>run</c> sends the file's text and the inputs file's text (the
/// daemon reads no path the caller names); <c>--wait</c> prints each job's phase changes and exits 0 only when the
/// run SUCCEEDED.
/// </summary>
/// <param name="logOutput">Where <c>workflows logs</c> prints the log (on a terminal, <see cref="Terminal.TerminalSafeWriter.Logs"/>); <paramref name="output"/> when null.</param>
internal sealed class WorkflowCommands(ApiClient api, TextWriter output, TextWriter error, TimeProvider time, int? terminalWidth = null, TextWriter? logOutput = null)
{
    public static readonly string[] Options = ["-f", "--filename", "--name", "--inputs", "--wait", "--job", "--follow", "-o", "--output", "--all", "--raw", "--tail"];

    public async Task<int> RunAsync(ParsedArgs args, CancellationToken cancellationToken)
    {
        var sub = args.Positionals.FirstOrDefault() ?? throw SubCommands.Missing("workflows");
        var name = args.Positionals.Skip(1).FirstOrDefault();
        var run = args.Positionals.Skip(2).FirstOrDefault();
        if (args.Has("--all") && sub is not ("delete" or "rm"))
        {
            throw new UsageException($"--all goes with workflows delete NAME --all only, not with workflows {sub}");
        }

        if (args.Has("--raw") && sub != "logs")
        {
            throw new UsageException($"--raw goes with workflows logs only, not with workflows {sub}");
        }

        if (args.Has("--tail") && sub != "logs")
        {
            throw new UsageException($"--tail goes with workflows logs only, not with workflows {sub}");
        }

        return sub switch
        {
            "run" => await StartAsync(args.Get("-f", "--filename") ?? name ?? throw new UsageException("workflows run needs -f FILE"), args.Get("--name"), args.Get("--inputs"), args.Has("--wait"), cancellationToken),
            "ls" or "list" => await ListAsync(args.Get("-o", "--output"), cancellationToken),
            "runs" => await RunsAsync(Required(name, "workflows runs NAME"), args.Get("-o", "--output"), cancellationToken),
            "get" => await GetAsync(Required(name, "workflows get NAME [RUN]"), run ?? WorkflowEndpoints.LatestRun, args.Get("-o", "--output"), cancellationToken),
            "logs" => await LogsAsync(Required(name, "workflows logs NAME [RUN]"), run ?? WorkflowEndpoints.LatestRun, args.Get("--job"), args.Has("-f", "--follow"), ClientVerbOptions.Count("--tail", args.Get("--tail")), cancellationToken),
            "cancel" when name is not null && run is null => await CancelWhichRunAsync(name, cancellationToken),
            "cancel" => await CancelAsync(Required(name, "workflows cancel NAME RUN"), Required(run, "workflows cancel NAME RUN"), cancellationToken),
            "delete" or "rm" when args.Has("--all") => await DeleteAllAsync(Required(name, "workflows delete NAME --all"), run, cancellationToken),
            "delete" or "rm" => await DeleteAsync(Required(name, "workflows delete NAME RUN | NAME --all"), Required(run, "workflows delete NAME RUN | NAME --all"), cancellationToken),
            _ => throw SubCommands.Unknown("workflows", sub),
        };
    }

    private async Task<int> StartAsync(string file, string? name, string? inputsFile, bool wait, CancellationToken cancellationToken)
    {
        // A missing file is a failed check, as for apply and validate (exit 1, FILE: no such file); before, it was a usage
        // error (exit 2, "(see gradient-node --help)"), which cli.md did not say.
        foreach (var given in new[] { file, inputsFile }.OfType<string>())
        {
            if (!ClientCommands.IsFile(given))
            {
                error.WriteLine(ClientCommands.NotAFile(given));
                return ExitCodes.Failed;
            }
        }

        var text = await BoundedText.ReadAsync(file, YamlGuard.MaxChars, cancellationToken);
        var inputs = inputsFile is null ? null : await BoundedText.ReadAsync(inputsFile, 256 * 1024, cancellationToken);
        name ??= Path.GetFileNameWithoutExtension(file);
        if (name.Length == 0)
        {
            throw new UsageException("workflows run: the workflow needs a name (--name NAME, or a FILE whose base name is one)");
        }

        if (WorkflowNameRule.Check(name) is { } badName)
        {
            // Checked here so that the message shows the name as typed, not as escaped for the URL.
            throw new UsageException($"workflows run: the workflow name {badName} (pass --name NAME)");
        }

        // Bytes that are not UTF-8 cannot travel in the JSON body: refused here at their line and column.
        foreach (var (path, content) in new[] { (file, text), (inputsFile, inputs) })
        {
            if (content is not null && Utf8Text.FindInvalid(content) is { } bad)
            {
                error.WriteLine($"{path}:{bad.Line}:{bad.Column}: invalid UTF-8: {bad.Problem}; the text must be UTF-8");
                return ExitCodes.Failed;
            }
        }

        if (!WorkflowParser.LooksLikeWorkflow(text) && SpecParser.Parse(file, text).IsValid)
        {
            // Before: "unknown field 'name'/'image'/'resources'" from the daemon, as if it were a broken workflow.
            error.WriteLine($"{file}: a deployment spec (no 'jobs'), not a workflow; apply it with gradient-node apply -f {file}");
            return ExitCodes.Failed;
        }

        var body = JsonSerializer.Serialize(new WorkflowRunRequest(text, inputs, Path.GetFileName(file), inputsFile is null ? null : Path.GetFileName(inputsFile)), ApiJsonContext.Default.WorkflowRunRequest);
        using var response = await api.SendAsync(HttpMethod.Post, $"v1/workflows/{Uri.EscapeDataString(name)}/runs", new StringContent(body, Encoding.UTF8, "application/json"), cancellationToken);
        var answer = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            List<(string, string)> sent = [(Path.GetFileName(file), file)];
            if (inputsFile is not null)
            {
                sent.Add((Path.GetFileName(inputsFile), inputsFile));
            }

            return ApiErrorPrinter.Print(error, answer, sent);
        }

        using var json = JsonDocument.Parse(answer);
        var number = json.RootElement.GetProperty("run").GetInt32().ToString(CultureInfo.InvariantCulture);
        if (json.RootElement.TryGetProperty("warnings", out var warnings) && warnings.ValueKind == JsonValueKind.Array)
        {
            // Headed by the file's name as sent; the path as given here instead.
            var sentName = Path.GetFileName(file);
            foreach (var warning in warnings.EnumerateArray().Select(w => w.GetString()).OfType<string>())
            {
                error.WriteLine(warning.StartsWith(sentName + ":", StringComparison.Ordinal) ? file + warning[sentName.Length..] : warning);
            }
        }

        output.WriteLine($"workflow '{name}' run {number} started");
        return wait ? await new WorkflowRunFollower(api, output, error, time).FollowAsync(name, number, cancellationToken) : ExitCodes.Ok;
    }

    // `ls` and `runs` take -o json|yaml as `get` does, the API's answer as it is (scripts: the newest run's phase); before,
    // -o went with `get` only (newuser12).
    private Task<int> ListAsync(string? format, CancellationToken cancellationToken) =>
        PrintAsync("v1/workflows", format, json => WorkflowPrinter.Workflows(output, json), cancellationToken);

    private Task<int> RunsAsync(string name, string? format, CancellationToken cancellationToken) =>
        PrintAsync($"v1/workflows/{Uri.EscapeDataString(name)}/runs", format, json => WorkflowPrinter.Runs(output, json, terminalWidth), cancellationToken);

    private Task<int> GetAsync(string name, string run, string? format, CancellationToken cancellationToken) =>
        PrintAsync($"v1/workflows/{Uri.EscapeDataString(name)}/runs/{Uri.EscapeDataString(run)}", format, json => WorkflowRunPrinter.Details(output, json), cancellationToken);

    /// <summary>The answer at <paramref name="path"/> as JSON, YAML or (no <c>-o</c>, or <c>-o text</c>) as <paramref name="text"/> prints it.</summary>
    private async Task<int> PrintAsync(string path, string? format, Action<JsonElement> text, CancellationToken cancellationToken)
    {
        if (format is not (null or "json" or "yaml" or "text"))
        {
            throw new UsageException($"-o takes json, yaml or text, not '{format}'");
        }

        var (ok, body) = await GetTextAsync(path, cancellationToken);
        if (!ok)
        {
            return PrintError(body);
        }

        switch (format)
        {
            case "json":
                output.Write(ReadableJson.Of(body) + "\n");
                break;
            case "yaml":
                output.Write(JsonYaml.Convert(body));
                break;
            default:
                using (var json = JsonDocument.Parse(body))
                {
                    text(json.RootElement);
                }

                break;
        }

        return ExitCodes.Ok;
    }

    private async Task<int> LogsAsync(string name, string run, string? job, bool follow, int? tail, CancellationToken cancellationToken)
    {
        if (run == WorkflowEndpoints.LatestRun)
        {
            // Its number first: a follow that asks again (the daemon restarted) stays on this run when a newer one starts.
            var (ok, body) = await GetTextAsync($"v1/workflows/{Uri.EscapeDataString(name)}/runs/{WorkflowEndpoints.LatestRun}", cancellationToken);
            if (!ok)
            {
                return PrintError(body);
            }

            using var status = JsonDocument.Parse(body);
            run = status.RootElement.GetProperty("run").GetInt32().ToString(CultureInfo.InvariantCulture);
        }

        var query = $"?follow={(follow ? "true" : "false")}" + (job is null ? string.Empty : $"&job={Uri.EscapeDataString(job)}")
            + (tail is null ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"&tail={tail}"));
        var (exit, lines) = await new WorkflowLogFollower(api, logOutput ?? output, error, time, tail)
            .StreamAsync($"v1/workflows/{Uri.EscapeDataString(name)}/runs/{Uri.EscapeDataString(run)}/logs{query}", follow, cancellationToken);
        if (exit != ExitCodes.Ok)
        {
            return exit;
        }

        if (lines == 0)
        {
            await SayWhyNoLogAsync(name, run, job, cancellationToken);
        }

        return ExitCodes.Ok;
    }

    /// <summary>
    /// An empty log of a job that never started (its image could not be pulled, a secret is missing, a job it needs
    /// failed) says so on stderr, with the job's phase and message, rather than printing nothing at all.
    /// </summary>
    private async Task SayWhyNoLogAsync(string name, string run, string? job, CancellationToken cancellationToken)
    {
        using var response = await api.SendAsync(HttpMethod.Get, $"v1/workflows/{Uri.EscapeDataString(name)}/runs/{Uri.EscapeDataString(run)}", null, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return;
        }

        using var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        if (!status.RootElement.TryGetProperty("jobs", out var jobs) || jobs.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var entry in jobs.EnumerateObject().Where(j => job is null || j.Name == job))
        {
            var started = entry.Value.TryGetProperty("started", out var s) && s.ValueKind == JsonValueKind.String;
            if (!started)
            {
                var phase = entry.Value.TryGetProperty("phase", out var p) ? p.GetString() : null;
                var message = entry.Value.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? $": {m.GetString()}" : string.Empty;
                error.WriteLine($"job {entry.Name} has no log: it never started ({phase}{message})");
            }
        }
    }

    private Task<int> CancelAsync(string name, string run, CancellationToken cancellationToken) =>
        RunActionAsync(HttpMethod.Post, name, run, "/cancel", $"workflow '{name}' run {run}: canceling (running jobs get SIGTERM, then SIGKILL after the grace period)", cancellationToken);

    /// <summary><c>workflows cancel NAME</c> without RUN: never guessed, but the usage error names the runs not ended.</summary>
    private async Task<int> CancelWhichRunAsync(string name, CancellationToken cancellationToken)
    {
        using var response = await api.SendAsync(HttpMethod.Get, $"v1/workflows/{Uri.EscapeDataString(name)}/runs", null, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        using var runs = response.IsSuccessStatusCode ? JsonDocument.Parse(body) : null;
        return runs is null ? PrintError(body) : throw new UsageException(RunsNotEnded.CancelUsage(name, runs.RootElement));
    }

    private Task<int> DeleteAsync(string name, string run, CancellationToken cancellationToken) =>
        RunActionAsync(HttpMethod.Delete, name, run, string.Empty, $"workflow '{name}' run {run} deleted", cancellationToken);

    /// <summary><c>workflows delete NAME --all</c>: every ended run; those not ended are named (<see cref="RunsDeletedPrinter"/>).</summary>
    private async Task<int> DeleteAllAsync(string name, string? run, CancellationToken cancellationToken)
    {
        if (run is not null)
        {
            throw new UsageException($"workflows delete takes a RUN or --all, not both (got run {run} and --all)");
        }

        using var response = await api.SendAsync(HttpMethod.Delete, $"v1/workflows/{Uri.EscapeDataString(name)}/runs", null, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.IsSuccessStatusCode ? RunsDeletedPrinter.Print(body, output, error) : PrintError(body);
    }

    /// <summary>Sends <paramref name="method"/> to one run's path (plus <paramref name="suffix"/>): <paramref name="done"/> on success, else the API's error.</summary>
    private async Task<int> RunActionAsync(HttpMethod method, string name, string run, string suffix, string done, CancellationToken cancellationToken)
    {
        using var response = await api.SendAsync(method, $"v1/workflows/{Uri.EscapeDataString(name)}/runs/{Uri.EscapeDataString(run)}{suffix}", null, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return PrintError(body);
        }

        output.WriteLine(done);
        return ExitCodes.Ok;
    }

    private async Task<(bool Ok, string Body)> GetTextAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await api.SendAsync(HttpMethod.Get, path, null, cancellationToken);
        return (response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    private int PrintError(string body) => ApiErrorPrinter.Print(error, body);

    private static string Required(string? value, string usage) => string.IsNullOrEmpty(value) ? throw new UsageException($"usage: {usage}") : value;
}
