using System.Globalization;
using GradientNode.Core.Catalog;
using GradientNode.Core.Reconciliation;
using GradientNode.Core.Specs;

namespace GradientNode.Daemon.Api;

/// <summary>
/// <c>POST /v1/deployments/{name}/scale?replicas=N</c>, <c>/enable</c>, <c>/disable</c>: one-line edits of the spec file
/// (<see cref="SpecTextEdit"/>), re-validated, written atomically; the watcher picks the change up as if a person had
/// edited the file. The file stays the one source of truth.
/// </summary>
internal static class ScaleEndpoints
{
    /// <summary>The most replicas the scale action sets.</summary>
    public const int MaxReplicas = ResourcesSpec.MaxReplicas;

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/v1/deployments/{name}/scale", (string name, HttpRequest request, SpecDirectoryWatcher specs, VersionHasher versions, CancellationToken cancellationToken) =>
        {
            if (!int.TryParse(request.Query["replicas"], NumberStyles.None, CultureInfo.InvariantCulture, out var replicas) || replicas > MaxReplicas)
            {
                return Task.FromResult(JsonResults.Error(StatusCodes.Status400BadRequest, $"scale needs ?replicas=N with N from 0 to {MaxReplicas}"));
            }

            var hint = specs.Entries.TryGetValue(DeploymentName.ToSlug(name), out var current) ? AboveMaxHint(replicas, current.Spec) : null;
            return EditAsync(name, specs, versions, text => SpecTextEdit.SetReplicas(text, replicas), spec => spec.Resources.Replicas == replicas, Scaled(replicas), cancellationToken, (spec, file) => ScaledResult(replicas, spec, file), hint);
        });
        api.MapPost("/v1/deployments/{name}/enable", (string name, SpecDirectoryWatcher specs, VersionHasher versions, CancellationToken cancellationToken) =>
            EditAsync(name, specs, versions, text => SpecTextEdit.SetEnabled(text, true), spec => spec.Enabled, "enabled", cancellationToken, (spec, _) => EnabledResult(spec)));
        api.MapPost("/v1/deployments/{name}/disable", (string name, SpecDirectoryWatcher specs, VersionHasher versions, CancellationToken cancellationToken) =>
            EditAsync(name, specs, versions, text => SpecTextEdit.SetEnabled(text, false), spec => !spec.Enabled, "disabled", cancellationToken));
    }

    /// <summary>
    /// The answer to an enable that was written. A deployment scaled to 0 (<c>resources.replicas: 0</c>) runs none once enabled
    /// either: before, "enabled" while nothing started, and the console's Enable on a deployment scaled to 0 (already
    /// <c>enabled: true</c>) seemed to do something (proxy19).
    /// </summary>
    internal static string EnabledResult(DeploymentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Resources.Replicas == 0
            ? $"enabled, but it is scaled to 0 (resources.replicas: 0), so none runs until it is scaled up: gradient-node scale {spec.Slug} N (or the console's Scale)"
            : "enabled";
    }

    /// <summary>
    /// The answer to a scale that was written. With autoscaling on, N is the autoscaler's minimum, not the count: before,
    /// <c>scale auto 1</c> under load answered "scaled to 1 replica" while 4 kept running. A disabled deployment runs
    /// none whatever the count: before, "scaled to 2 replicas" while it stayed Disabled 0/0 (newuser12).
    /// </summary>
    internal static string ScaledResult(int replicas, DeploymentSpec spec, string file)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!spec.Enabled && replicas > 0)
        {
            return $"{Scaled(replicas)}, but it is disabled (enabled: false), so none runs until it is enabled: set enabled: true in {file} (or the console's Enable)";
        }

        return spec.Resources.Autoscaling is { Enabled: true } autoscaling
            ? $"autoscaled from at least {Replicas(replicas)} up to {autoscaling.MaxReplicas} (resources.replicas is the autoscaler's minimum; it runs more while the load asks for them)"
            : Scaled(replicas);
    }

    /// <summary>
    /// What to do when N is above the autoscaling block's maximum (with autoscaling on N is its minimum; the parser holds
    /// <c>replicas ≤ maxReplicas</c> whether it is on or off):
    /// before, only the parser's <c>maxReplicas: must be at least resources.replicas (8), got 4</c>.
    /// </summary>
    internal static string? AboveMaxHint(int replicas, DeploymentSpec? spec) =>
        spec?.Resources.Autoscaling is { } autoscaling && replicas > autoscaling.MaxReplicas
            ? $"resources.replicas may not pass resources.autoscaling.maxReplicas ({autoscaling.MaxReplicas}){(autoscaling.Enabled ? " (with autoscaling on, N is the least replicas it runs)" : " (even with autoscaling off)")}: "
                + $"scale to at most {autoscaling.MaxReplicas}, or raise maxReplicas in the file and apply it"
            : null;

    private static string Scaled(int replicas) => $"scaled to {Replicas(replicas)}";

    private static string Replicas(int count) => count == 1 ? "1 replica" : $"{count} replicas";

    private static async Task<IResult> EditAsync(
        string name,
        SpecDirectoryWatcher specs,
        VersionHasher versions,
        Func<string, string?> edit,
        Func<DeploymentSpec, bool> took,
        string result,
        CancellationToken cancellationToken,
        Func<DeploymentSpec, string, string>? written = null,
        string? invalidHint = null)
    {
        var slug = DeploymentName.ToSlug(name);
        if (!specs.Entries.TryGetValue(slug, out var entry))
        {
            return JsonResults.Error(StatusCodes.Status404NotFound, UnknownName.Deployment(name, specs.Entries.Keys));
        }

        if (entry.Spec is null)
        {
            return JsonResults.Error(
                StatusCodes.Status409Conflict,
                $"{entry.File} has errors and no version of '{entry.Name}' has run; fix the file (gradient-node get {entry.Slug} lists them)",
                [.. entry.Errors.Select(e => e.ToString())]);
        }

        specs.RefuseWhileTheFolderIsMissing(entry.File);
        var text = await File.ReadAllTextAsync(entry.File, cancellationToken);
        var edited = edit(text);
        var parsed = edited is null ? null : SpecParser.Parse(entry.File, edited);
        if (parsed is { IsValid: false } && edited is not null)
        {
            // The edit itself worked but breaks a rule that spans fields (scale above autoscaling.maxReplicas, or
            // enable with replicas: 0 and autoscaling): say that, not "flow-style YAML?".
            return JsonResults.Error(
                StatusCodes.Status409Conflict,
                $"{entry.File} was not changed: with this change ({result}) the spec would be invalid{(invalidHint is null ? string.Empty : $"; {invalidHint}")}",
                [.. parsed.Errors.Select(e => e.ToString())]);
        }

        if (parsed is not { IsValid: true, Spec: { } spec } || spec.Slug != slug || !took(spec))
        {
            return JsonResults.Error(
                StatusCodes.Status409Conflict,
                $"{entry.File} cannot be edited automatically (JSON or flow-style YAML?); edit the file and apply it",
                parsed is null ? null : [.. parsed.Errors.Select(e => e.ToString())]);
        }

        await specs.WriteAsync(entry.File, edited!, cancellationToken);
        // What scale --wait follows: the version now written as the reconciler hashes it (with the restart generation: a
        // hash of the spec alone never matched after a restart, and --wait waited for a version that never came), and
        // the count it runs (none while disabled; autoscaled: any).
        var count = spec.IsDisabled ? 0 : spec.Resources.Autoscaling is { Enabled: true } ? (int?)null : spec.Resources.Replicas;
        return JsonResults.Json(new EditedResponse(entry.Name, written?.Invoke(spec, entry.File) ?? result, versions.Compute(spec), count), ApiJsonContext.Default.EditedResponse, StatusCodes.Status202Accepted);
    }
}
