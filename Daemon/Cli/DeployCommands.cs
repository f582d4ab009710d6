using System.Net;
using System.Text;
using System.Text.Json;
using GradientNode.Core.Common;
using GradientNode.Core.Specs;
using GradientNode.Core.Specs.Parsing;
using GradientNode.Core.Status;
using GradientNode.Core.Workflows.Specs;
using GradientNode.Daemon.Cli.Diff;
using GradientNode.Daemon.Cli.Wait;

namespace GradientNode.Daemon.Cli;

/// <summary>
/// The verbs that change what runs and can follow it: <c>apply -f FILE [--wait [--timeout D]] [--dry-run]</c>,
/// <c>restart NAME [--wait]</c>, and <c>diff -f FILE</c> (exit 0 no change, 1 changes, 2 errors).
/// </summary>
internal sealed class DeployCommands(ApiClient api, TextWriter output, TextWriter error, IProgressView view, TimeProvider time)
{
    /// <summary>diff's exit code for an invalid spec or an unreachable daemon.</summary>
    public const int DiffError = 2;

    public async Task<int> ApplyAsync(string file, bool wait, TimeSpan? timeout, CancellationToken interrupt)
    {
        var (text, spec) = await ReadSpecAsync(file, interrupt, "apply");
        if (spec is null)
        {
            return ExitCodes.Failed;
        }

        using var response = await api.SendAsync(HttpMethod.Put, $"v1/deployments/{Uri.EscapeDataString(spec.Slug)}", new StringContent(text, Encoding.UTF8, "application/yaml"), CancellationToken.None);
        var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
        if (!response.IsSuccessStatusCode)
        {
            return PrintError(body);
        }

        using var json = JsonDocument.Parse(body);
        var created = json.RootElement.GetProperty("created").GetBoolean();
        var specFile = json.RootElement.GetProperty("specFile").GetString()!;

        // A legacy spec without name: is named after its file's stem; on the node that is the file that holds it there.
        var name = json.RootElement.TryGetProperty("name", out var named) && named.GetString() is { Length: > 0 } kept ? kept : spec.Name;
        output.WriteLine($"deployment '{name}' {(created ? "created" : "configured")} ({specFile})");
        if (name != spec.Name)
        {
            error.WriteLine(file == "-"
                ? $"<stdin>: warning: name: the spec has no name, so the node names it after the file that holds it there, {Path.GetFileName(specFile)}; write name: in it to choose one"
                : $"{file}: warning: name: the spec has no name, so the node names it after the file that holds it there, {Path.GetFileName(specFile)}, not after {Path.GetFileName(file)}; write name: {spec.Name} in it to keep that name");
        }

        if (!wait)
        {
            return ExitCodes.Ok;
        }

        var hash = json.RootElement.GetProperty("specHash").GetString()!;
        var target = spec.IsDisabled ? new RolloutTarget(name, hash, 0)
            : spec.Resources.Autoscaling is { Enabled: true } autoscaling ? new RolloutTarget(name, hash, spec.Resources.Replicas, autoscaling.MaxReplicas)
            : new RolloutTarget(name, hash, spec.Resources.Replicas);
        return await FollowAsync(target, spec.Slug, timeout, interrupt);
    }

    public async Task<int> RestartAsync(string name, bool wait, TimeSpan? timeout, CancellationToken interrupt)
    {
        using var response = await api.SendAsync(HttpMethod.Post, $"v1/deployments/{Uri.EscapeDataString(name)}/restart", null, CancellationToken.None);
        var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
        if (!response.IsSuccessStatusCode)
        {
            return PrintError(body);
        }

        using var json = JsonDocument.Parse(body);
        var shown = json.RootElement.GetProperty("name").GetString()!;
        output.WriteLine($"deployment '{shown}' {json.RootElement.GetProperty("result").GetString()}");
        if (!wait && json.RootElement.TryGetProperty("pullsImage", out var pulls) && pulls.ValueKind == JsonValueKind.True)
        {
            // It returns before the pull: it says where the pull's outcome shows (a failure, or the local image with a
            // warning when the registry cannot be reached), and claims none.
            output.WriteLine(RestartPullHint(DeploymentName.ToSlug(name)));
        }

        return wait
            ? await FollowAsync(new RolloutTarget(shown, json.RootElement.GetProperty("specHash").GetString()!, null), DeploymentName.ToSlug(name), timeout, interrupt)
            : ExitCodes.Ok;
    }

    /// <summary>What <c>restart</c> without <c>--wait</c> adds when the new version pulls its image first.</summary>
    public static string RestartPullHint(string slug) =>
        $"its image is pulled again first; the pull's outcome (or a warning that the image already on this node runs) shows in: gradient-node get {slug}, or restart --wait";

    /// <summary>
    /// <c>scale NAME --replicas N</c>: the API's scale action (<c>POST /v1/deployments/{name}/scale?replicas=N</c>), which
    /// edits <c>resources.replicas</c> in the spec file; the daemon's refusals (a JSON file, above maxReplicas) are printed.
    /// </summary>
    public async Task<int> ScaleAsync(string name, int replicas, bool wait, TimeSpan? timeout, CancellationToken interrupt)
    {
        var path = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"v1/deployments/{Uri.EscapeDataString(name)}/scale?replicas={replicas}");
        using var response = await api.SendAsync(HttpMethod.Post, path, null, CancellationToken.None);
        var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
        if (!response.IsSuccessStatusCode)
        {
            return PrintError(body);
        }

        using var json = JsonDocument.Parse(body);
        var shown = json.RootElement.GetProperty("name").GetString()!;
        output.WriteLine($"deployment '{shown}' {json.RootElement.GetProperty("result").GetString()}");
        if (!wait)
        {
            return ExitCodes.Ok;
        }

        // --wait follows the count as apply --wait follows a version (same display, deadline and exit codes).
        var count = json.RootElement.TryGetProperty("replicas", out var n) && n.ValueKind == JsonValueKind.Number ? n.GetInt32() : (int?)null;
        return json.RootElement.TryGetProperty("specHash", out var hash) && hash.GetString() is { Length: > 0 } specHash
            ? await FollowAsync(new RolloutTarget(shown, specHash, count), DeploymentName.ToSlug(name), timeout, interrupt)
            : ExitCodes.Ok;
    }

    /// <summary><c>diff -f FILE</c> and <c>apply --dry-run</c>: the unified diff of the normalised specs, then the plan in words.</summary>
    public async Task<int> DiffAsync(string file, CancellationToken cancellationToken)
    {
        var (_, next) = await ReadSpecAsync(file, cancellationToken);
        if (next is null)
        {
            return DiffError;
        }

        try
        {
            var slug = Uri.EscapeDataString(next.Slug);
            using var specResponse = await api.SendAsync(HttpMethod.Get, $"v1/deployments/{slug}/spec", null, cancellationToken);
            var specBody = await specResponse.Content.ReadAsStringAsync(cancellationToken);
            DeploymentSpec? running = null;
            if (specResponse.StatusCode != HttpStatusCode.NotFound)
            {
                if (!specResponse.IsSuccessStatusCode)
                {
                    PrintError(specBody);
                    return DiffError;
                }

                var parsed = SpecParser.Parse($"{next.Slug} (running)", specBody);
                running = parsed.Spec ?? throw new InvalidOperationException($"the running spec of '{next.Name}' does not parse: {parsed.Errors.FirstOrDefault()}");
            }

            var status = running is null ? null : await GetJsonAsync($"v1/deployments/{slug}", StatusJsonContext.Default.DeploymentStatus, cancellationToken);
            var free = await FreeGpusAsync(cancellationToken);
            var before = running is null ? [] : NormalizedSpec.Of(running).Lines;
            foreach (var line in UnifiedDiff.Lines(before, NormalizedSpec.Of(next).Lines, running is null ? "/dev/null" : $"{next.Name} (running)", file == "-" ? "<stdin>" : file))
            {
                output.WriteLine(line);
            }

            var sentences = PlanNarrator.Sentences(new PlanInput(running, status, next, free, time.GetUtcNow()));
            output.WriteLine("plan:");
            foreach (var sentence in sentences)
            {
                output.WriteLine($"  {sentence}");
            }

            return sentences is ["no change"] ? ExitCodes.Ok : ExitCodes.Failed;
        }
        catch (DaemonUnreachableException ex)
        {
            error.WriteLine($"error: {ex.Message}");
            return DiffError;
        }
    }

    private async Task<int> FollowAsync(RolloutTarget target, string slug, TimeSpan? timeout, CancellationToken interrupt)
    {
        var follower = new RolloutFollower(
            ct => GetJsonAsync($"v1/deployments/{Uri.EscapeDataString(slug)}", StatusJsonContext.Default.DeploymentStatus, ct),
            view,
            time);
        return await follower.FollowAsync(target, timeout, interrupt);
    }

    private async Task<T?> GetJsonAsync<T>(string path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        using var response = await api.SendAsync(HttpMethod.Get, path, null, cancellationToken);
        return response.IsSuccessStatusCode ? JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(cancellationToken), type) : null;
    }

    private async Task<int> FreeGpusAsync(CancellationToken cancellationToken)
    {
        using var response = await api.SendAsync(HttpMethod.Get, "v1/node", null, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return 0;
        }

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return json.RootElement.TryGetProperty("gpus", out var gpus) && gpus.ValueKind == JsonValueKind.Array
            ? gpus.EnumerateArray().Count(g => !g.TryGetProperty("heldBy", out var held) || held.ValueKind == JsonValueKind.Null)
            : 0;
    }

    /// <summary>
    /// For a missing FILE that is a bare word naming a deployment (<c>diff web</c>, as <c>kamal</c> and compose take a
    /// service's name): what diff and apply take instead, and the file the node runs (newuser12: before, only
    /// <c>web: no such file</c>). Empty when the word names none, or the daemon does not answer.
    /// </summary>
    private async Task<string> DeploymentNamedAsync(string word, string verb, CancellationToken cancellationToken)
    {
        if (word.Contains('/', StringComparison.Ordinal) || word.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase)
            || word.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || word.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return string.Empty;
        }

        try
        {
            using var response = await api.SendAsync(HttpMethod.Get, $"v1/deployments/{Uri.EscapeDataString(word)}", null, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return string.Empty;
            }

            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var specFile = json.RootElement.TryGetProperty("specFile", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
            var runs = specFile is null ? string.Empty : $" (the node runs {specFile}: {(verb == "diff" ? "diff an edited copy of it" : "edit it, or apply an edited copy")})";
            return $"; '{word}' is a deployment on this node, and {verb} takes a spec file: {verb} -f FILE{runs}";
        }
        catch (Exception ex) when (ex is DaemonUnreachableException or HttpRequestException or JsonException or IOException)
        {
            return string.Empty;
        }
    }

    private async Task<(string Text, DeploymentSpec? Spec)> ReadSpecAsync(string file, CancellationToken cancellationToken, string verb = "diff")
    {
        if (file != "-" && !ClientCommands.IsFile(file))
        {
            // A missing file is a failed check, as in validate (exit 1; diff 2), not a usage error.
            error.WriteLine(ClientCommands.NotAFile(file) + await DeploymentNamedAsync(file, verb, cancellationToken));
            return (string.Empty, null);
        }

        // Standard input is read as bytes, like a file: bytes that are not UTF-8 are refused at their line and column.
        var text = file == "-"
            ? await BoundedText.ReadAsync(Console.OpenStandardInput(), YamlGuard.MaxChars, cancellationToken)
            : await BoundedText.ReadAsync(file, YamlGuard.MaxChars, cancellationToken);
        if (WorkflowParser.JobsKey(text) is { } jobs)
        {
            // Before: "unknown field 'jobs'" and three missing fields, as if it were a broken deployment. A misspelt 'jobs'
            // (with no deployment key beside it) is a workflow too: its run reports the misspelling.
            var shown = file == "-" ? "<stdin>" : file;
            var has = jobs == "jobs" ? "it has 'jobs'" : $"it has '{jobs}', read as 'jobs'";
            error.WriteLine($"{shown}: a workflow file ({has}), not a deployment; run it with gradient-node workflows run -f {(file == "-" ? "FILE" : file)}");
            return (text, null);
        }

        var local = SpecParser.Parse(file == "-" ? "<stdin>" : file, text);
        foreach (var problem in local.Errors)
        {
            error.WriteLine(problem.ToString());
        }

        var locator = WarningLocator.Read(file == "-" ? "<stdin>" : file, text);
        foreach (var warning in local.IsValid ? EphemeralSecretWarnings.Of(local.Spec!).Concat(MachineTypeWarnings.Of(local.Spec!)).Concat(NotActedOnWarnings.Of(local.Spec!)) : [])
        {
            error.WriteLine(locator.Locate(warning));
        }

        // What the spec names that the node lacks (a secret, registry connection or model): warned, not refused.
        if (local.IsValid && await NodeStores.TryReadAsync(api, cancellationToken) is { } stores)
        {
            foreach (var warning in locator.LocateInFileOrder(DeploymentStoreWarnings.Of(local.Spec!, stores)))
            {
                error.WriteLine(warning);
            }
        }

        return (text, local.IsValid ? local.Spec : null);
    }

    private int PrintError(string body) => ApiErrorPrinter.Print(error, body);
}
