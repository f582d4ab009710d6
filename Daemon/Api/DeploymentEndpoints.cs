using GradientNode.Core.Autoscaling;
using GradientNode.Core.Catalog;
using GradientNode.Core.Common;
using GradientNode.Core.Reconciliation;
using GradientNode.Core.Routing;
using GradientNode.Core.Secrets;
using GradientNode.Core.Specs;
using GradientNode.Core.Specs.Parsing;
using GradientNode.Core.Status;
using GradientNode.Daemon.Configuration;

namespace GradientNode.Daemon.Api;

/// <summary><c>/v1/deployments</c>: list, get, apply (PUT validates, then writes the spec file atomically), delete.</summary>
internal static class DeploymentEndpoints
{
    /// <summary>The largest spec body accepted.</summary>
    public const int MaxSpecBytes = 1024 * 1024;

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/v1/deployments", (StatusStore statuses, SpecDirectoryWatcher specs, ReconcilerOptions options, NodeOptions node, TimeProvider time, TrafficReader traffic, AutoscaleStore autoscale, VersionHasher versions) =>
        {
            var stats = traffic.Read();
            var tls = TlsNameWarnings.Read(node);
            var all = ListedSlugs(specs.Entries.Keys, statuses)
                .Select(slug => StatusOf(slug, statuses, specs, options, time, autoscale, versions))
                .OfType<DeploymentStatus>()
                .Select(status => TlsNameWarnings.With(TrafficReader.WithTraffic(status, stats, time.GetUtcNow()), tls, options.Domain))
                .ToList();
            return JsonResults.Json(all, StatusJsonContext.Default.ListDeploymentStatus);
        });

        api.MapGet("/v1/deployments/{name}", (string name, StatusStore statuses, SpecDirectoryWatcher specs, ReconcilerOptions options, NodeOptions node, TimeProvider time, TrafficReader traffic, AutoscaleStore autoscale, RoutePublisher routes, VersionHasher versions) =>
            StatusOf(DeploymentName.ToSlug(name), statuses, specs, options, time, autoscale, versions) is { } status
                ? JsonResults.Json(TlsNameWarnings.With(TrafficReader.WithTraffic(status, traffic.Read(), time.GetUtcNow()), TlsNameWarnings.Read(node), options.Domain) with { Routed = routes.Routed(status) }, StatusJsonContext.Default.DeploymentStatus)
                : NotFound(name, specs));

        api.MapPut("/v1/deployments/{name}", ApplyAsync);

        api.MapGet("/v1/deployments/{name}/spec", async (string name, HttpRequest request, SpecDirectoryWatcher specs, CancellationToken cancellationToken) =>
        {
            // The text of the version that runs, for diff: the file, or its last good copy while the file has errors.
            // ?onDisk=true: the file as it is now, errors or not (the console shows its errors against its lines).
            if (!specs.Entries.TryGetValue(DeploymentName.ToSlug(name), out var entry))
            {
                return NotFound(name, specs);
            }

            var onDisk = request.Query["onDisk"] is { Count: > 0 } flag && flag[0] is "true" or "1";
            string? text;
            try
            {
                text = onDisk ? await BoundedText.ReadRegularFileAsync(entry.File, YamlGuard.MaxChars, cancellationToken) : await specs.RunningTextAsync(entry, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Unreadable now (a link the node does not follow, a fifo, permissions): the reason, never the file's text.
                return JsonResults.Error(StatusCodes.Status409Conflict, $"the spec file of '{name}' cannot be read: {ex.Message}");
            }

            return text is not null
                ? Results.Text(text, "application/yaml", statusCode: StatusCodes.Status200OK)
                : JsonResults.Error(StatusCodes.Status409Conflict, $"the spec file of '{name}' has errors ({entry.File}) and no version of it runs; fix or re-apply it before diffing");
        });

        api.MapPost("/v1/deployments/{name}/restart", (string name, SpecDirectoryWatcher specs, RestartGenerations restarts, SecretSnapshots snapshots, ImagePuller puller, ReconcilerService reconciler, VersionHasher versions) =>
        {
            var slug = DeploymentName.ToSlug(name);
            if (!specs.Entries.TryGetValue(slug, out var entry))
            {
                return NotFound(name, specs);
            }

            if (entry.Spec is null)
            {
                return JsonResults.Error(StatusCodes.Status409Conflict, $"the spec file of '{name}' has errors ({entry.File}) and no version of it runs; fix or re-apply it (gradient-node get {name} shows the errors)");
            }

            // A new generation is a new spec version: secrets are resolved again and every replica is replaced, new before old.
            var generation = restarts.Bump(slug);
            snapshots.Forget(slug);
            puller.Forget(slug);
            reconciler.Enqueue(slug);
            return JsonResults.Json(
                new RestartResponse(entry.Name, RestartResult(generation, entry.Spec), versions.Compute(entry.Spec), ImagePuller.PullsEachVersion(entry.Spec)),
                ApiJsonContext.Default.RestartResponse,
                StatusCodes.Status202Accepted);
        });

        api.MapDelete("/v1/deployments/{name}", (string name, SpecDirectoryWatcher specs, CancellationToken cancellationToken) => DeleteAsync(name, specs, cancellationToken));
    }

    /// <summary>
    /// The restart's answer. A deployment that runs no replica (disabled, or scaled to 0 without autoscaling) replaces
    /// none, and says so: before, "restarting (generation 1)" alone, as if its replicas were being replaced (newuser12).
    /// </summary>
    internal static string RestartResult(int generation, DeploymentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var idle = spec switch
        {
            { Enabled: false } => "it is disabled (enabled: false)",
            { Resources: { Replicas: 0, Autoscaling: null or { Enabled: false } } } => "it is scaled to 0 (resources.replicas: 0)",
            _ => null,
        };
        return idle is null
            ? $"restarting (generation {generation})"
            : $"restarting (generation {generation}), but no replica runs to replace: {idle}; its replicas start with this generation once it runs";
    }

    /// <summary>
    /// Deletes the spec file of <paramref name="name"/> (any spelling of its slug); the answer names the deployment as its
    /// spec does (<c>My Demo</c>, as the status and <c>ls</c> do), not as the URL spelled it.
    /// </summary>
    internal static async Task<IResult> DeleteAsync(string name, SpecDirectoryWatcher specs, CancellationToken cancellationToken)
    {
        var slug = DeploymentName.ToSlug(name);
        var shown = specs.Entries.TryGetValue(slug, out var entry) ? entry.Name : name;
        return await specs.DeleteAsync(slug, cancellationToken)
            ? Results.Text($"deployment '{shown}' deleted; its replicas are being removed\n", "text/plain", statusCode: StatusCodes.Status202Accepted)
            : NotFound(name, specs);
    }

    internal static async Task<IResult> ApplyAsync(string name, HttpRequest request, SpecDirectoryWatcher specs, VersionHasher versions, CancellationToken cancellationToken)
    {
        var slug = DeploymentName.ToSlug(name);
        if (slug.Length == 0)
        {
            return JsonResults.Error(StatusCodes.Status400BadRequest, $"'{name}' is not a usable deployment name");
        }

        if (request.ContentLength > MaxSpecBytes)
        {
            return TooLarge();
        }

        // Content-Length may be absent (chunked) or lie: the limit holds on the bytes actually read.
        if (await BoundedBody.ReadTextAsync(request.Body, MaxSpecBytes, cancellationToken) is not { } text)
        {
            return TooLarge();
        }

        var target = specs.TargetFileFor(slug);
        var result = SpecParser.Parse(target, text);
        if (!result.IsValid)
        {
            return JsonResults.Error(StatusCodes.Status400BadRequest, "the spec is invalid; nothing was changed", [.. result.Errors.Select(e => e.ToString())]);
        }

        var spec = result.Spec!;
        if (spec.Slug != slug && specs.HeldElsewhere(slug, target) is { } holder && SpecParser.Parse(holder, text).Spec?.Slug == slug)
        {
            // A spec without name: is named after the file it is written to; <slug>.yaml holds another deployment.
            return JsonResults.Error(
                StatusCodes.Status409Conflict,
                $"{holder} already holds {HolderName(specs, holder)}, and this spec has no name: (a spec without one is named after its file), so it cannot be written under another file name; add name: {name} to it; nothing was changed");
        }

        if (spec.Slug != slug)
        {
            return JsonResults.Error(
                StatusCodes.Status400BadRequest,
                $"the spec's name '{spec.Name}' does not match the deployment '{name}' it was sent to; nothing was changed");
        }

        if (await LongNameHeldAsync(target, spec, cancellationToken) is { } held)
        {
            // Two long names that differ only past the label's 63 characters share one slug: the second replaced the first.
            return JsonResults.Error(
                StatusCodes.Status409Conflict,
                $"deployment '{held}' already has the host label {slug} (a name's label keeps its first {DeploymentName.MaxSlugLength} characters), so '{spec.Name}' would replace it; give this one a name that differs within its first {DeploymentName.MaxSlugLength} characters, or delete '{held}' first; nothing was changed");
        }

        var created = !File.Exists(target);
        await specs.WriteAsync(target, text, cancellationToken);
        return JsonResults.Json(
            new ApplyResponse(spec.Name, spec.Slug, target, created, versions.Compute(spec)),
            ApiJsonContext.Default.ApplyResponse,
            created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    /// <summary>What <c>GET /v1/deployments</c> lists, in its order: every spec's slug and every slug with a status, by <see cref="SlugOrder"/>.</summary>
    internal static IEnumerable<string> ListedSlugs(IEnumerable<string> specSlugs, StatusStore statuses) =>
        specSlugs.Union(statuses.All.Select(s => s.Slug)).Order(SlugOrder.Instance);

    /// <summary>The name of the valid spec in <paramref name="target"/> when it is another name whose label was cut to the same slug; else null.</summary>
    private static async Task<string?> LongNameHeldAsync(string target, DeploymentSpec spec, CancellationToken cancellationToken)
    {
        if (!File.Exists(target))
        {
            return null;
        }

        var held = SpecParser.Parse(target, await File.ReadAllTextAsync(target, cancellationToken)).Spec?.Name.Trim();
        return held is not null && DeploymentName.CollideWhenCut(held, spec.Name) ? held : null;
    }

    private static string HolderName(SpecDirectoryWatcher specs, string file) =>
        specs.Entries.Values.FirstOrDefault(e => e.File == file) is { } entry ? $"deployment '{entry.Name}'" : "a file the node has not read yet";

    private static IResult TooLarge() =>
        JsonResults.Error(StatusCodes.Status413PayloadTooLarge, $"a spec may be at most {MaxSpecBytes} bytes");

    /// <summary>
    /// The stored status, or for a deployment not reconciled yet, a Progressing placeholder built from its spec. A stored
    /// Invalid status whose file is now valid (an apply fixed it; the reconciler has not run since) is stale: the
    /// placeholder too, so that <c>apply --wait</c> does not read the old errors as the new version's. The placeholder's
    /// hash and count are the reconciler's: the version's hash with its restart generation (<paramref name="versions"/>)
    /// and the autoscaler's count. Before, the hash of the spec alone: a restart asked for before the first reconcile (or a
    /// deployment restarted before the daemon did) showed a hash that changed at the first reconcile (known18).
    /// </summary>
    internal static DeploymentStatus? StatusOf(string slug, StatusStore statuses, SpecDirectoryWatcher specs, ReconcilerOptions options, TimeProvider time, AutoscaleStore autoscale, VersionHasher versions)
    {
        specs.Entries.TryGetValue(slug, out var entry);
        if (statuses.Get(slug) is { } status && !(status.State == DeploymentState.Invalid && entry is { IsCurrent: true }))
        {
            // The autoscaler evaluates every few seconds, between reconciles: its figures are read live, and so is the time
            // left of a crash backoff ("restarting in 7s"), which the status was built with up to ~15 s ago.
            return RestartCountdown.AsOf(status, time.GetUtcNow()) with { Autoscaling = autoscale.StatusOf(entry?.Spec) };
        }

        if (entry is null)
        {
            return null;
        }

        // The node's progress deadline, as the reconciler uses it: --wait says it from the first answer on.
        var desired = (entry.Spec is not { } spec ? DesiredReplicas.None("invalid")
            : DesiredReplicas.Idle(spec) ?? new DesiredReplicas(autoscale.DesiredFor(spec), versions.Compute(spec)))
            with { ProgressDeadline = options.ProgressDeadline };
        var built = StatusBuilder.Build(new StatusBuilder.Input(slug, entry, desired, [], null, null, [], options.EndpointFor(slug), time.GetUtcNow()));

        // An invalid spec says the same before the first reconcile as after it ("spec file has 1 error; …").
        return entry.Spec is null ? built : built with
        {
            Message = statuses.WaitingReason(slug) is { } why ? $"waiting for the first reconcile: {why}" : "waiting for the first reconcile",
        };
    }

    private static IResult NotFound(string name, SpecDirectoryWatcher specs) =>
        JsonResults.Error(StatusCodes.Status404NotFound, UnknownName.Deployment(name, specs.Entries.Keys));
}
