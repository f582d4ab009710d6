using System.Globalization;
using System.Text;
using System.Text.Json;
using GradientNode.Core.Common;
using GradientNode.Core.Specs;
using GradientNode.Core.Specs.Parsing;
using GradientNode.Core.Status;
using GradientNode.Core.Workflows.Specs;

namespace GradientNode.Daemon.Cli;

/// <summary>The client verbs: each talks to the daemon's API (validate alone works offline).</summary>
internal sealed class ClientCommands(ApiClient api, TextWriter output, TextWriter error, int? terminalWidth = null, TimeProvider? time = null)
{
    /// <summary>
    /// <c>ls</c> and <c>get</c> take <c>-o json|yaml|wide|text</c>; anything else is a usage error (exit 2) before the
    /// daemon is asked, so it is one whether or not the daemon answers or knows the name.
    /// </summary>
    public static void CheckFormat(string? format)
    {
        if (format is not (null or "json" or "yaml" or "wide" or "text"))
        {
            throw BadFormat(format);
        }
    }

    /// <summary>The list verbs that print a table or the API's JSON (<c>models ls</c>, <c>datasets ls|versions</c>): any other <c>-o</c> is a usage error, before the daemon is asked.</summary>
    public static void CheckJsonOnly(string? format)
    {
        if (format is not (null or "json" or "text" or "wide"))
        {
            throw new UsageException($"-o takes json, or text or wide for the table, not '{format}'");
        }
    }

    private static UsageException BadFormat(string format) => new($"-o takes json, yaml, wide or text, not '{format}'");

    /// <summary>
    /// Why FILE cannot be read as a spec: <c>FILE: no such file</c> (with <c>; did you mean api.yaml?</c> when a YAML or
    /// JSON file beside it has a close name: <c>api.yml</c> for <c>api.yaml</c>), or <c>FILE: a directory, not a file</c>.
    /// </summary>
    public static string NotAFile(string file) =>
        Directory.Exists(file) ? $"{file}: a directory, not a file (name the spec files in it)"
        : new FileInfo(file).LinkTarget is { } target ? $"{file}: a symbolic link to {target}, which does not exist"
        : $"{file}: no such file{CloseFile(file)}";

    /// <summary>The most files of a folder looked at for a close name (a specs folder of thousands is not listed whole).</summary>
    private const int CloseFileScan = 1000;

    private static string CloseFile(string file)
    {
        var folder = Path.GetDirectoryName(file);
        try
        {
            var names = Directory.EnumerateFiles(string.IsNullOrEmpty(folder) ? "." : folder)
                .Take(CloseFileScan)
                .Select(Path.GetFileName)
                .OfType<string>()
                .Where(n => n.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || n.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || n.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal)
                .ToList();
            return KeySuggester.Suggest(Path.GetFileName(file), names) is { } close
                ? $"; did you mean {(string.IsNullOrEmpty(folder) ? close : Path.Combine(folder, close))}?"
                : string.Empty;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return string.Empty;
        }
    }

    /// <summary>Whether FILE is a file to read: <see cref="File.Exists"/> also says yes for a symbolic link whose target is gone.</summary>
    public static bool IsFile(string file) =>
        File.Exists(file) && new FileInfo(file) is var info && (info.LinkTarget is null || info.ResolveLinkTarget(returnFinalTarget: true) is { Exists: true });

    /// <summary>
    /// <c>validate FILE...</c>: offline, apart from one thing: when a daemon answers at the socket, <paramref name="stores"/>
    /// gives its secrets, registry connections and models, and a deployment that names one it lacks is warned
    /// (<see cref="DeploymentStoreWarnings"/>); with none answering, nothing is said about them.
    /// </summary>
    public static Task<int> ValidateAsync(IReadOnlyList<string> files, TextWriter output, TextWriter error, Func<CancellationToken, Task<NodeStores?>> stores, CancellationToken cancellationToken) =>
        ValidateAsync(files, output, error, stores, (_, _, _) => Task.FromResult<IReadOnlyList<string>?>(null), cancellationToken);

    /// <param name="checkWorkflow">
    /// A valid workflow file's store problems as warnings (<see cref="WorkflowStoreCheck"/>): file, text → lines, or null when
    /// no daemon answers.
    /// </param>
    public static async Task<int> ValidateAsync(IReadOnlyList<string> files, TextWriter output, TextWriter error, Func<CancellationToken, Task<NodeStores?>> stores, Func<string, string, CancellationToken, Task<IReadOnlyList<string>?>> checkWorkflow, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stores);
        ArgumentNullException.ThrowIfNull(checkWorkflow);
        if (files.Count == 0)
        {
            throw new UsageException("validate needs at least one FILE");
        }

        var failed = false;
        Task<NodeStores?>? node = null;
        foreach (var file in files)
        {
            if (!IsFile(file))
            {
                error.WriteLine(NotAFile(file));
                failed = true;
                continue;
            }

            var text = BoundedText.Read(file, YamlGuard.MaxChars);
            if (WorkflowInputsParser.LooksLikeInputsFile(text))
            {
                // Checked against its workflow's declared inputs only when a run is submitted: not an error here.
                error.WriteLine($"{file}: not validated: a workflow run's inputs file (its one key is inputs), checked against its workflow when a run is "
                    + $"submitted: gradient-node workflows run -f WORKFLOW.yaml --inputs {file}");
                continue;
            }

            if (WorkflowParser.LooksLikeWorkflow(text))
            {
                var valid = WorkflowValidation.Print(file, text, output, error);
                failed |= !valid;
                if (valid && await checkWorkflow(file, text, cancellationToken) is { } warnings)
                {
                    foreach (var warning in warnings)
                    {
                        error.WriteLine(warning);
                    }
                }

                continue;
            }

            var result = SpecParser.Parse(file, text);
            foreach (var problem in result.Errors)
            {
                error.WriteLine(problem.ToString());
            }

            if (result.IsValid)
            {
                var spec = result.Spec!;
                output.WriteLine($"{file}: ok (deployment '{spec.Name}', apiVersion {spec.ApiVersion}, {spec.Resources.Replicas} replica(s))");
                var locator = WarningLocator.Read(file, text);
                foreach (var warning in EphemeralSecretWarnings.Of(spec).Concat(MachineTypeWarnings.Of(spec)).Concat(NotActedOnWarnings.Of(spec)))
                {
                    error.WriteLine(locator.Locate(warning));
                }

                // Asked once, at the first valid deployment.
                if (await (node ??= stores(cancellationToken)) is { } held)
                {
                    foreach (var warning in locator.LocateInFileOrder(DeploymentStoreWarnings.Of(spec, held)))
                    {
                        error.WriteLine(warning);
                    }
                }
            }
            else
            {
                failed = true;
            }
        }

        return failed ? ExitCodes.Failed : ExitCodes.Ok;
    }

    public async Task<int> ListAsync(string? format, CancellationToken cancellationToken)
    {
        CheckFormat(format);
        using var response = await api.SendAsync(HttpMethod.Get, "v1/deployments", null, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return PrintError(body);
        }

        var statuses = JsonSerializer.Deserialize(body, StatusJsonContext.Default.ListDeploymentStatus) ?? [];
        switch (format)
        {
            case "json":
                output.WriteLine(body);
                break;
            case "yaml":
                foreach (var status in statuses)
                {
                    output.Write("---\n" + StatusPrinter.Yaml(status));
                }

                break;
            case null or "text":
                // On a terminal, a long message is cut to the width rather than wrapped under the next row.
                StatusPrinter.Table(output, statuses, terminalWidth);
                break;
            case "wide":
                StatusPrinter.WideTable(output, statuses, (time ?? TimeProvider.System).GetUtcNow());
                break;
            default:
                throw BadFormat(format);
        }

        return ExitCodes.Ok;
    }

    public async Task<int> GetAsync(string name, string? format, CancellationToken cancellationToken)
    {
        CheckFormat(format);
        using var response = await api.SendAsync(HttpMethod.Get, $"v1/deployments/{Uri.EscapeDataString(name)}", null, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return PrintError(body);
        }

        var status = JsonSerializer.Deserialize(body, StatusJsonContext.Default.DeploymentStatus)!;
        switch (format)
        {
            case "json":
                output.WriteLine(body);
                break;
            case "yaml":
                output.Write(StatusPrinter.Yaml(status));
                break;
            case null or "wide" or "text":
                StatusPrinter.Details(output, status, terminalWidth, (time ?? TimeProvider.System).GetUtcNow());
                break;
            default:
                throw BadFormat(format);
        }

        return ExitCodes.Ok;
    }

    public async Task<int> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        using var response = await api.SendAsync(HttpMethod.Delete, $"v1/deployments/{Uri.EscapeDataString(name)}", null, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return PrintError(body);
        }

        output.Write(body);
        return ExitCodes.Ok;
    }

    /// <param name="onTerminal">Stdout is a terminal and <c>--raw</c> was not given: the log's control characters other than
    /// <c>\n</c>, <c>\t</c>, <c>\r</c> and SGR colours are shown as text (<see cref="Terminal.TerminalSafeStream"/>).</param>
    public async Task<int> LogsAsync(string name, bool follow, int? tail, int? replica, bool timestamps, bool onTerminal, CancellationToken cancellationToken)
    {
        var query = new StringBuilder($"v1/deployments/{Uri.EscapeDataString(name)}/logs?follow={(follow ? "true" : "false")}");
        if (tail is not null)
        {
            query.Append(CultureInfo.InvariantCulture, $"&tail={tail}");
        }

        if (replica is not null)
        {
            query.Append(CultureInfo.InvariantCulture, $"&replica={replica}");
        }

        if (timestamps)
        {
            query.Append("&timestamps=true");
        }

        await using var stdout = Console.OpenStandardOutput();
        await using var shown = onTerminal ? new Terminal.TerminalSafeStream(stdout) : stdout;
        return await new Wait.DeploymentLogFollower(api, shown, error, TimeProvider.System).StreamAsync(query.ToString(), follow, cancellationToken, timestamps);
    }

    public async Task<int> NodeAsync(string? format, CancellationToken cancellationToken)
    {
        using var response = await api.SendAsync(HttpMethod.Get, "v1/node", null, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return PrintError(body);
        }

        using var json = JsonDocument.Parse(body);
        if (format == "json")
        {
            output.WriteLine(NodePrinter.Json(json.RootElement));
        }
        else if (format == "yaml")
        {
            output.Write(JsonYaml.Convert(body)); // the same fields, as `get -o yaml` and `datasets get -o yaml` print them
        }
        else
        {
            NodePrinter.Summary(output, json.RootElement);
        }

        return ExitCodes.Ok;
    }

    private int PrintError(string body) => ApiErrorPrinter.Print(error, body);
}
