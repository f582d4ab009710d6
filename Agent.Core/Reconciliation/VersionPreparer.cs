using System.Collections.Concurrent;
using GradientNode.Core.Specs;
using GradientNode.Core.Status;
using Microsoft.Extensions.Logging;

namespace GradientNode.Core.Reconciliation;

/// <summary>
/// Gets a spec version ready before its replicas are created: its machine type (GPUs), its secrets, its volumes
/// and its image (one pull path: <see cref="ImagePuller"/>, in the background). A version starts only with all of
/// them; otherwise what runs keeps running. Also reports a secret or registry connection removed under a running version.
/// </summary>
public sealed partial class VersionPreparer(
    IGpuGate gpus,
    IVersionSecrets secrets,
    IVersionVolumes volumes,
    ImagePuller puller,
    ReplicaJournal journal,
    ILogger<VersionPreparer> logger)
{
    /// <summary>The pull failure last logged per deployment, without its countdown (<see cref="PullErrorKey"/>).</summary>
    private readonly ConcurrentDictionary<string, string> _loggedPullErrors = new(StringComparer.Ordinal);

    public async Task<Preparation> PrepareAsync(DeploymentSpec? spec, string hash, DesiredReplicas desired, ReconcilePlan plan, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (spec is null)
        {
            return Preparation.None;
        }

        if (!plan.Creates.Any())
        {
            // A secret or the registry connection removed under a running version: its status names it (a protected route
            // fails closed; a replica that must start, a scale-up's or a crash restart's, would not). Before (newuser16), a
            // removed containerRegistry connection left the deployment Ready until its next replica failed to start.
            if (desired.Count == 0)
            {
                return Preparation.None;
            }

            var problems = (secrets.Resolve(spec, hash) is { IsComplete: false } gone ? gone.Missing : [])
                .Append(puller.RegistryProblemOf(spec)).OfType<string>().ToList();
            return problems.Count > 0 ? Preparation.None with { Error = string.Join("; ", problems) } : Preparation.None;
        }

        var error = gpus.Validate(spec.Resources.MachineType);
        var resolution = secrets.Resolve(spec, hash);
        error ??= resolution.IsComplete ? null : string.Join("; ", resolution.Missing);
        var prepared = Preparation.None with { Error = error, Secrets = resolution };
        if (error is not null)
        {
            return prepared;
        }

        // Integrations, models and repositories: fetched once per content key, in the background.
        var binds = volumes.Prepare(spec, hash, resolution);
        prepared = prepared with { Error = binds.Error, Volumes = binds };
        if (binds.Error is not null || binds.Pending)
        {
            return prepared;
        }

        // The image is pulled in the background: this reconcile never waits for a download.
        var image = await puller.EnsureAsync(spec, hash, cancellationToken).ConfigureAwait(false);
        if (image.Pending && puller.Progress.Get(spec.Slug) is { } pull)
        {
            // The replicas waiting for it say how far it got.
            foreach (var create in plan.Creates)
            {
                journal.Update($"{spec.Slug}-{create.Index}", "pulling", pull.Describe(), now);
            }
        }

        if (image.Warning is { } warning)
        {
            // The replicas about to start say which image they get, and why (their history).
            foreach (var create in plan.Creates)
            {
                journal.Update($"{spec.Slug}-{create.Index}", "pulling", warning, now);
            }
        }

        if (image.Error is null)
        {
            _loggedPullErrors.TryRemove(spec.Slug, out _);
        }
        else if (PullErrorKey(image.Error) is var key && _loggedPullErrors.GetValueOrDefault(spec.Slug) != key)
        {
            // Once per failed attempt: every reconcile pass while the pull waits out its backoff sees the same failure,
            // and logged it again (twice a pass, every few seconds) with only "retrying in Ns" changed.
            _loggedPullErrors[spec.Slug] = key;
            LogImageFailed(spec.Slug, image.Error);
        }

        return prepared with { Error = image.Error, Pulling = image.Pending, Image = image.Image };
    }

    /// <summary>What the status shows about the deployment's volumes.</summary>
    public IReadOnlyList<VolumeStatus> VolumesOf(string slug) => volumes.StatusOf(slug);

    /// <summary>What the spec's replicas get less of than its machine type says, because the host has less (<see cref="IGpuGate.Limits"/>).</summary>
    public IReadOnlyList<string> LimitsOf(DeploymentSpec spec) => gpus.Limits(spec.Resources.MachineType);

    /// <summary>The image pull in progress, if any.</summary>
    public PullStatus? PullOf(string slug) => puller.Progress.Get(slug);

    /// <summary>Why version <paramref name="hash"/> runs the image already on the node (its pull failed), if it does.</summary>
    public string? ImageWarningOf(string slug, string hash) => puller.WarningOf(slug, hash);

    /// <summary>Releases what a removed deployment held: its volumes and its secret snapshot.</summary>
    public void Forget(string slug)
    {
        _loggedPullErrors.TryRemove(slug, out _);
        volumes.Release(slug);
        secrets.Forget(slug);
    }

    /// <summary>A pull error without the countdown that changes every pass: <c>…(attempt 2; retrying in 6s)</c> → <c>…(attempt 2</c>.</summary>
    private static string PullErrorKey(string error) =>
        error.LastIndexOf("; retrying in ", StringComparison.Ordinal) is var cut and >= 0 ? error[..cut] : error;

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "{Slug}: {Error}")]
    private partial void LogImageFailed(string slug, string error);
}
