using GradientNode.Core.Catalog;
using GradientNode.Core.Engine;
using GradientNode.Core.Specs;
using GradientNode.Core.Status;
using Microsoft.Extensions.Logging;

namespace GradientNode.Core.Reconciliation;

/// <summary>
/// Reconciles one deployment: observe its containers by label, compute the pure plan, execute it, and
/// report the resulting status. Errors are caught here and become status, so one deployment never
/// blocks another.
/// </summary>
public sealed partial class DeploymentReconciler(
    IContainerEngine engine,
    ReplicaObserver observer,
    ReconcilerOptions options,
    Func<SecretRef, bool> secretResolvable,
    TimeProvider time,
    ILogger<DeploymentReconciler> logger)
{
    private static readonly TimeSpan ErrorRecheck = TimeSpan.FromSeconds(15);

    public async Task<ReconcileOutcome> ReconcileAsync(string slug, CatalogEntry? entry, CancellationToken cancellationToken, Action<DeploymentStatus>? onProgress = null)
    {
        var spec = entry?.Spec;
        var hash = spec is null ? string.Empty : SpecHasher.Compute(spec);
        var desired = spec switch
        {
            null => DesiredReplicas.None("deployment removed"),
            { Enabled: false } => DesiredReplicas.None("deployment disabled (enabled: false)"),
            { Resources.Replicas: 0 } => DesiredReplicas.None("deployment disabled (replicas: 0)"),
            _ => new DesiredReplicas(spec.Resources.Replicas, hash),
        };
        var port = spec?.Resources.FirstPort ?? 80;
        var observed = await observer.ObserveAsync(slug, port, cancellationToken).ConfigureAwait(false);

        if (entry is { Spec: null })
        {
            // Never valid: leave whatever runs alone (nothing is lost to a typo) and report the errors.
            return new ReconcileOutcome(Build(slug, entry, DesiredReplicas.None("invalid"), observed, null, null), null);
        }

        var now = time.GetUtcNow();
        var plan = ReconcilePlanner.Plan(desired, observed, now);
        string? error = null;
        if (spec is not null && plan.Creates.Any())
        {
            error = await EnsureImageAsync(spec, cancellationToken).ConfigureAwait(false);
        }

        var acted = !plan.Steps.All(step => step is WaitBackoff);
        var leaving = plan.Removes.Where(r => r.Replica.Running).Select(r => r.Replica.ContainerId).ToHashSet(StringComparer.Ordinal);
        if (leaving.Count > 0)
        {
            // Take leaving replicas out of rotation before they are stopped.
            var interim = observed.Select(r => leaving.Contains(r.ContainerId) ? r with { Ready = false } : r).ToList();
            onProgress?.Invoke(Build(slug, entry, desired, interim, error, null));
        }

        // Three phases, each in parallel: dead containers out, new replicas in, then old ones out.
        await Task.WhenAll(plan.Removes.Where(r => !r.Replica.Running).Select(r => RemoveAsync(slug, r, cancellationToken))).ConfigureAwait(false);
        if (error is null && spec is not null)
        {
            var failures = await Task.WhenAll(plan.Creates.Select(c => CreateAsync(spec, hash, c, cancellationToken))).ConfigureAwait(false);
            error = failures.FirstOrDefault(f => f is not null);
        }

        await Task.WhenAll(plan.Removes.Where(r => r.Replica.Running).Select(r => RemoveAsync(slug, r, cancellationToken))).ConfigureAwait(false);

        if (acted)
        {
            observed = await observer.ObserveAsync(slug, port, cancellationToken).ConfigureAwait(false);
        }

        var backoff = plan.Steps.OfType<WaitBackoff>().Select(w => (DateTimeOffset?)w.Until).Min();
        var status = Build(slug, entry, desired, observed, error, backoff);
        if (entry is null && observed.Count == 0)
        {
            return new ReconcileOutcome(null, null);
        }

        return new ReconcileOutcome(status, RecheckAfter(status, backoff, error));
    }

    private TimeSpan? RecheckAfter(DeploymentStatus status, DateTimeOffset? backoff, string? error)
    {
        if (backoff is { } until)
        {
            var wait = until - time.GetUtcNow();
            return wait < options.ProgressRecheck ? options.ProgressRecheck : wait;
        }

        if (error is not null)
        {
            return ErrorRecheck;
        }

        return status.State is DeploymentState.Progressing or DeploymentState.Degraded ? options.ProgressRecheck : null;
    }

    private DeploymentStatus Build(string slug, CatalogEntry? entry, DesiredReplicas desired, IReadOnlyList<ObservedReplica> observed, string? error, DateTimeOffset? backoff) =>
        StatusBuilder.Build(new StatusBuilder.Input(
            slug,
            entry,
            desired,
            observed,
            error,
            backoff,
            entry?.Spec is { } spec ? NotActedOn.For(spec, secretResolvable) : [],
            options.EndpointFor(slug),
            time.GetUtcNow()));

    private async Task<string?> EnsureImageAsync(DeploymentSpec spec, CancellationToken cancellationToken)
    {
        try
        {
            if (await engine.InspectImageAsync(spec.Image, cancellationToken).ConfigureAwait(false) is not null)
            {
                return null;
            }

            LogPulling(spec.Slug, spec.Image);
            await engine.PullImageAsync(spec.Image, null, null, cancellationToken).ConfigureAwait(false);
            LogPulled(spec.Slug, spec.Image);
            return null;
        }
        catch (EngineException ex)
        {
            var what = ex switch
            {
                ImageNotFoundException => "was not found",
                ImagePullDeniedException => "was refused by its registry",
                EngineUnavailableException => "could not be checked: the Docker engine is unreachable",
                _ => "could not be pulled",
            };
            var message = $"image '{spec.Image}' {what}: {ex.Message}";
            LogImageFailed(spec.Slug, message);
            return message;
        }
    }

    private async Task<string?> CreateAsync(DeploymentSpec spec, string hash, CreateReplica step, CancellationToken cancellationToken)
    {
        var request = ContainerRequestFactory.Create(spec, hash, step, options);
        string? id = null;
        try
        {
            id = await engine.CreateContainerAsync(request, cancellationToken).ConfigureAwait(false);
            await engine.StartContainerAsync(id, cancellationToken).ConfigureAwait(false);
            LogCreated(spec.Slug, step.Index, request.Name, hash);
            return null;
        }
        catch (EngineException ex)
        {
            var message = $"replica {step.Index} could not be started: {ex.Message}";
            LogCreateFailed(spec.Slug, step.Index, ex.Message);
            if (id is not null)
            {
                // A container that was created but never started would only confuse the next plan.
                await RemoveQuietlyAsync(id, cancellationToken).ConfigureAwait(false);
            }

            return message;
        }
    }

    private async Task RemoveAsync(string slug, RemoveReplica step, CancellationToken cancellationToken)
    {
        var replica = step.Replica;
        try
        {
            if (replica.Running)
            {
                await engine.StopContainerAsync(replica.ContainerId, options.StopTimeout, cancellationToken).ConfigureAwait(false);
            }

            await engine.RemoveContainerAsync(replica.ContainerId, force: true, cancellationToken).ConfigureAwait(false);
            LogRemoved(slug, replica.Index, replica.ContainerName, step.Reason);
        }
        catch (EngineException ex)
        {
            LogRemoveFailed(slug, replica.ContainerName, ex.Message);
        }
    }

    private async Task RemoveQuietlyAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            await engine.RemoveContainerAsync(id, force: true, cancellationToken).ConfigureAwait(false);
        }
        catch (EngineException ex)
        {
            LogRemoveFailed("-", id, ex.Message);
        }
    }
}
