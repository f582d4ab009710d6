// Over 300 lines: a pull's whole life (join, start, run, stall, finish, retry) in one place, so that the order of its steps reads top to bottom; the local-image fallback is in ImagePuller.LocalImage.cs, which pulls a spec needs and its registry connection's checks in ImagePuller.Registry.cs.
using System.Collections.Concurrent;
using GradientNode.Core.Common;
using GradientNode.Core.Engine;
using GradientNode.Core.Registries;
using GradientNode.Core.Specs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GradientNode.Core.Reconciliation;

/// <summary>
/// Makes a spec version's image present before replicas start. Policy (as Kubernetes' defaults): with a
/// <c>containerRegistry</c>, or a <c>:latest</c>/untagged image, each new spec version pulls (a re-pushed tag is
/// picked up on redeploy, and stored credentials are checked); otherwise the local image is used when present.
/// Replica restarts and scale-ups of the same version never pull again. When such a pull fails without the registry
/// answering (it cannot be reached, it errs, the pull stalls) and the image, by the same reference (a pinned digest:
/// that digest), is already on the node, the version runs with that image and says so (<see cref="WarningOf"/>): a
/// registry outage does not block a <c>restart</c>. A refusal or a missing image is the registry's own answer and still
/// blocks, and without a local image the version waits for the pull as before.
/// <para>
/// Pulls run in the background, one per image and credentials, shared by every deployment that waits for it:
/// <see cref="EnsureAsync"/> never waits for a download, it answers ready, pending or failed, and <see cref="Changed"/>
/// asks for the waiting deployments to be reconciled when a pull ends. A pull whose stream is silent for
/// <see cref="PullOptions.StallTimeout"/> is stopped; a failed pull retries with backoff. A connection's credentials
/// go only to its own registry host (<see cref="RegistryHost"/>). Errors are sentences for status, with any password
/// redacted. While a pull runs, its progress is in <see cref="Progress"/>.
/// </para>
/// </summary>
public sealed partial class ImagePuller : IDisposable
{
    private readonly IContainerEngine _engine;
    private readonly RegistryStore? _registries;
    private readonly PullProgressTracker _progress;
    private readonly TimeProvider _time;
    private readonly PullOptions _options;
    private readonly ILogger<ImagePuller> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, PullJob> _jobs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _pulledFor = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string SpecHash, string Warning)> _localFor = new(StringComparer.Ordinal);

    /// <param name="registries">The stored registry connections; null when none can be named (then <c>containerRegistry</c> is an error).</param>
    public ImagePuller(IContainerEngine engine, RegistryStore? registries, PullProgressTracker progress, TimeProvider time, PullOptions? options = null, ILogger<ImagePuller>? logger = null)
    {
        _engine = engine;
        _registries = registries;
        _progress = progress;
        _time = time;
        _options = options ?? new PullOptions();
        _logger = logger ?? NullLogger<ImagePuller>.Instance;
    }

    /// <summary>A pull ended (either way) that this deployment waits for: reconcile it again.</summary>
    public event Action<string>? Changed;

    /// <summary>The pulls in progress, per deployment slug.</summary>
    public PullProgressTracker Progress => _progress;

    /// <summary>
    /// Whether the image of <paramref name="spec"/> is ready for <paramref name="specHash"/>; starts or joins a background
    /// pull when it must be pulled. Only the local image check talks to the engine here.
    /// </summary>
    public async Task<ImageState> EnsureAsync(DeploymentSpec spec, string specHash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        RegistryConnection? connection = null;
        if (spec.ContainerRegistry is { } name)
        {
            connection = _registries?.Get(name);
            if (connection is null)
            {
                return ImageState.Failed(MissingConnection(name, spec.Image));
            }

            if (!RegistryHost.Matches(connection.Url, spec.Image))
            {
                // Never hand a connection's password to another host: nothing is pulled.
                var imageHost = RegistryHost.OfImage(spec.Image) ?? "?";
                var connectionHost = RegistryHost.OfConnectionUrl(connection.Url) ?? "?";
                return ImageState.Failed($"image '{spec.Image}' is on registry {imageHost}, but containerRegistry '{name}' is for registry {connectionHost}; its credentials are only sent to {connectionHost}, so nothing was pulled");
            }
        }

        if (_pulledFor.TryGetValue(spec.Slug, out var pulled) && pulled == specHash)
        {
            // Asked only when the plan creates a replica: the image may have been removed meanwhile (docker rmi -f under
            // a running replica, an image prune). Before, every create failed with "No such image" until a restart of
            // the node; now the image is looked for and pulled again as for a new version.
            if (await _engine.InspectImageAsync(spec.Image, cancellationToken).ConfigureAwait(false) is { } present)
            {
                return ImageState.Ready with { Warning = WarningOf(spec.Slug, specHash), Image = present };
            }

            _pulledFor.TryRemove(KeyValuePair.Create(spec.Slug, specHash));
            _localFor.TryRemove(spec.Slug, out _);
        }

        var key = connection is null ? spec.Image : $"{spec.Image}\n{connection.Name}\n{connection.Modified.UtcTicks}";
        if (Join(key, spec.Slug, specHash) is { } joined)
        {
            return joined.Error is not null && OutageOf(key) is { } outage
                && await _engine.InspectImageAsync(spec.Image, cancellationToken).ConfigureAwait(false) is { } onNode
                ? UseLocal(spec, specHash, connection, outage) with { Image = onNode }
                : joined;
        }

        var local = await _engine.InspectImageAsync(spec.Image, cancellationToken).ConfigureAwait(false);
        if (local is not null && !MustPull(spec, connection))
        {
            _pulledFor[spec.Slug] = specHash;
            return ImageState.Ready with { Image = local };
        }

        return Start(key, spec, specHash, connection);
    }

    /// <summary>Forgets what was pulled for a deployment (it was removed or restarted on purpose).</summary>
    public void Forget(string slug)
    {
        _pulledFor.TryRemove(slug, out _);
        _localFor.TryRemove(slug, out _);
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    /// <summary>Joins a running pull, or reports a failed one still in its backoff; null when a new pull may start.</summary>
    private ImageState? Join(string key, string slug, string specHash)
    {
        lock (_gate)
        {
            if (!_jobs.TryGetValue(key, out var job))
            {
                return null;
            }

            job.Waiters[slug] = specHash;
            if (job.Running)
            {
                _progress.Track(slug, job.Aggregate);
                return ImageState.Pulling;
            }

            var left = _time.Until(job.RetryAt);
            if (job.Error is { } error && left > TimeSpan.Zero)
            {
                var wait = Math.Ceiling(left.TotalSeconds);
                return ImageState.Failed($"{error} (attempt {job.Failures}; retrying in {wait}s)");
            }

            return null;
        }
    }

    private ImageState Start(string key, DeploymentSpec spec, string specHash, RegistryConnection? connection)
    {
        PullJob job;
        lock (_gate)
        {
            if (_jobs.TryGetValue(key, out var existing) && existing.Running)
            {
                existing.Waiters[spec.Slug] = specHash;
                _progress.Track(spec.Slug, existing.Aggregate);
                return ImageState.Pulling;
            }

            job = new PullJob(new PullAggregate(spec.Image, _time, _progress.PublishInterval, null))
            {
                Running = true,
                Failures = existing?.Failures ?? 0,
            };
            if (existing is not null)
            {
                foreach (var (slug, hash) in existing.Waiters)
                {
                    job.Waiters[slug] = hash;
                }
            }

            job.Waiters[spec.Slug] = specHash;
            _jobs[key] = job;
            foreach (var slug in job.Waiters.Keys)
            {
                _progress.Track(slug, job.Aggregate);
            }
        }

        LogPulling(spec.Slug, spec.Image, job.Failures + 1);
        var auth = connection is null ? null : new RegistryAuth(connection.Username, connection.Password, connection.ServerAddress);
        _ = Task.Run(() => RunAsync(key, job, spec.Image, auth, connection), CancellationToken.None);
        return ImageState.Pulling;
    }

    private async Task RunAsync(string key, PullJob job, string image, RegistryAuth? auth, RegistryConnection? connection)
    {
        string? error = null;
        try
        {
            error = await PullAsync(job, image, auth, connection).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            return; // the daemon stops
        }
        catch (Exception ex)
        {
            // Whatever went wrong, the pull ends: never "pulling" forever.
            error = $"image '{image}' could not be pulled: {Redact(ex.Message, connection)}";
        }

        Finish(key, job, image, error);
    }

    /// <summary>Runs one pull under the stall watchdog; null when it succeeded, else the sentence for status.</summary>
    private async Task<string?> PullAsync(PullJob job, string image, RegistryAuth? auth, RegistryConnection? connection)
    {
        var aggregate = job.Aggregate;
        job.RegistryAnswered = false;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        using var watchdog = new PeriodicTimer(TimeSpan.FromSeconds(1), _time);
        var pull = _engine.PullImageAsync(image, auth, aggregate, cancel.Token);
        var stalled = false;
        while (!pull.IsCompleted && !cancel.IsCancellationRequested)
        {
            var tick = watchdog.WaitForNextTickAsync(cancel.Token).AsTask();
            if (await Task.WhenAny(pull, tick).ConfigureAwait(false) == tick && tick.IsCompletedSuccessfully && !tick.Result)
            {
                // The watchdog was disposed (only its finalizer can do that while we wait): every further wait would
                // end at once, so stop watching instead of spinning on whatever thread resumed us.
                break;
            }

            if (!pull.IsCompleted && aggregate.SinceActivity > _options.StallTimeout)
            {
                stalled = true;
                await cancel.CancelAsync().ConfigureAwait(false);
                break;
            }
        }

        try
        {
            await pull.ConfigureAwait(false);
            aggregate.Flush();
            return null;
        }
        catch (OperationCanceledException) when (stalled)
        {
            return $"image '{image}' could not be pulled: no progress for {_options.StallTimeout.TotalSeconds:F0}s; the pull was stopped";
        }
        catch (EngineException ex)
        {
            job.RegistryAnswered = ex is ImageNotFoundException or ImagePullDeniedException;
            var what = ex switch
            {
                ImageNotFoundException => "was not found",
                ImagePullDeniedException => connection is null
                    ? "was refused by its registry (a private image needs containerRegistry: NAME)"
                    : $"was refused by its registry with the credentials of '{connection.Name}'",
                EngineUnavailableException => "could not be pulled: the Docker engine is unreachable",
                _ => "could not be pulled",
            };
            return $"image '{image}' {what}: {Redact(ex.Answer, connection)}{RegistryCheckHint.For(ex, connection, image)}";
        }
    }

    private void Finish(string key, PullJob job, string image, string? error)
    {
        List<string> waiters;
        lock (_gate)
        {
            job.Running = false;
            waiters = [.. job.Waiters.Keys];
            if (error is null)
            {
                foreach (var (slug, hash) in job.Waiters)
                {
                    _pulledFor[slug] = hash;
                    _localFor.TryRemove(slug, out _);
                }

                _jobs.Remove(key);
            }
            else
            {
                job.Failures++;
                job.Error = error;
                job.RetryAt = _time.After(_options.RetryAfter(job.Failures));
            }
        }

        if (error is null)
        {
            LogPulled(image, job.Aggregate.Elapsed.TotalSeconds);
        }
        else
        {
            LogPullFailed(image, job.Failures, _options.RetryAfter(job.Failures).TotalSeconds, error);
        }

        foreach (var slug in waiters)
        {
            _progress.End(slug, job.Aggregate);
            Changed?.Invoke(slug);
        }
    }
}
