using GradientNode.Core.Catalog;
using GradientNode.Core.Engine;
using GradientNode.Core.Status;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GradientNode.Core.Reconciliation;

/// <summary>
/// The level-triggered loop. Spec changes, Docker events and a periodic resync only enqueue a deployment's
/// slug; each deployment has at most one reconcile in flight (a worker), and requests that arrive meanwhile
/// coalesce into one more pass. A failing deployment never blocks the others.
/// </summary>
public sealed partial class ReconcilerService(
    SpecDirectoryWatcher specs,
    DeploymentReconciler reconciler,
    ReplicaObserver observer,
    IContainerEngine engine,
    StatusStore statuses,
    ReconcilerOptions options,
    TimeProvider time,
    ILogger<ReconcilerService> logger,
    EngineEchoes? echoes = null,
    NodeStopStore? stops = null) : BackgroundService
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ReconcileWorker> _workers = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _firstPass = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ResyncFilter _resync = new(options.FullResyncEvery);
    private readonly RecheckTimers _rechecks = new(time);
    private HashSet<string>? _firstPassPending;
    private long _lastResyncTicks; // monotonic
    private bool _resynced;
    private CancellationToken _stopping;

    /// <summary>
    /// Completes once the spec directory was scanned and every deployment known then was reconciled once
    /// (the daemon's readiness: systemd's READY=1).
    /// </summary>
    public Task FirstPass => _firstPass.Task;

    /// <summary>
    /// How long ago the periodic resync loop last ran (liveness: the systemd watchdog), on the monotonic clock; null before
    /// the first run. Before, a wall-clock instant that the watchdog compared with the wall clock: a step forward of half a
    /// minute read as a stuck loop, and systemd killed a healthy daemon.
    /// </summary>
    public TimeSpan? SinceResync => Volatile.Read(ref _resynced) ? time.GetElapsedTime(Interlocked.Read(ref _lastResyncTicks)) : null;

    /// <summary>Asks for <paramref name="slug"/> to be reconciled as soon as possible.</summary>
    public void Enqueue(string slug)
    {
        lock (_gate)
        {
            if (_workers.TryGetValue(slug, out var worker))
            {
                worker.Dirty = true;
                return;
            }

            worker = new ReconcileWorker { Dirty = true };
            _workers[slug] = worker;
            worker.Task = Task.Run(() => RunWorkerAsync(slug, worker), CancellationToken.None);
        }
    }

    /// <summary>Asks for every known deployment to be reconciled (a secret or registry connection changed).</summary>
    public void EnqueueAll()
    {
        foreach (var slug in specs.Entries.Keys)
        {
            Enqueue(slug);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        // The loop's own inputs; every other trigger (probes, GPU loss, secrets, pulls, …) is wired by the host in one place.
        specs.Changed += OnSpecsChanged;

        var watch = Task.Run(() => specs.RunAsync(stoppingToken), stoppingToken);
        await specs.FirstScan.WaitAsync(stoppingToken).ConfigureAwait(false);
        LogStarted(specs.SpecsDir, options.NodeName);
        var events = Task.Run(() => WatchEventsAsync(stoppingToken), stoppingToken);
        var disconnects = Task.Run(() => WatchNetworkDisconnectsAsync(stoppingToken), stoppingToken);

        using var timer = new PeriodicTimer(options.ResyncPeriod, time);
        do
        {
            Interlocked.Exchange(ref _lastResyncTicks, time.GetTimestamp());
            Volatile.Write(ref _resynced, true);
            await EnqueueAllAsync(full: false, stoppingToken).ConfigureAwait(false);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));

        await Task.WhenAll(watch, events, disconnects).ConfigureAwait(false);
    }

    /// <summary>The periodic resync: every deployment known, minus those <see cref="ResyncFilter"/> finds settled and unchanged.</summary>
    private async Task EnqueueAllAsync(bool full, CancellationToken cancellationToken)
    {
        var entries = specs.Entries;
        var slugs = new HashSet<string>(entries.Keys, StringComparer.Ordinal);
        slugs.UnionWith(statuses.All.Select(s => s.Slug));
        // Deployments only the replica journal remembers (removed while the daemon was down, containers gone too): one pass
        // each, which finds nothing and forgets them.
        slugs.UnionWith(reconciler.RememberedSlugs);
        IReadOnlyDictionary<string, string> containers = new Dictionary<string, string>();
        try
        {
            // Only a record that exists before the listing is judged by it (a container is recorded while it exists).
            var recorded = stops?.ContainerIds ?? [];

            // Containers of deployments no spec asks for any more (removed while the daemon was down).
            var listing = await observer.ListSlugsAsync(cancellationToken).ConfigureAwait(false);
            containers = listing.Slugs;
            slugs.UnionWith(containers.Keys);
            stops?.Prune(recorded, listing.Ids);
            NoteEngineReachable();
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Whatever the listing threw, the deployments the specs and statuses know are still reconciled.
            NoteEngineProblem(ex);
            full = true;
        }

        var current = slugs.ToDictionary(
            slug => slug,
            slug => (entries.GetValueOrDefault(slug), containers.GetValueOrDefault(slug) ?? string.Empty),
            StringComparer.Ordinal);
        var picked = _resync.Select(current, full);

        lock (_gate)
        {
            if (_firstPassPending is null && !_firstPass.Task.IsCompleted)
            {
                _firstPassPending = new HashSet<string>(slugs, StringComparer.Ordinal);
                if (_firstPassPending.Count == 0)
                {
                    _firstPass.TrySetResult();
                }
            }
        }

        foreach (var slug in picked)
        {
            Enqueue(slug);
        }
    }

    private void MarkReconciled(string slug)
    {
        lock (_gate)
        {
            if (_firstPassPending is { } pending && pending.Remove(slug) && pending.Count == 0)
            {
                _firstPassPending = null;
                _firstPass.TrySetResult();
            }
        }
    }

    private async Task RunWorkerAsync(string slug, ReconcileWorker worker)
    {
        // A trigger that fires before the spec directory's first scan (the autoscaler's saved counts, a probe, an engine
        // event) must not reconcile against an empty catalog: that read "deployment removed" and removed healthy replicas
        // on a daemon restart. Wait for the scan; the worker stays registered, so later triggers still coalesce into it.
        await specs.FirstScan.ConfigureAwait(false);
        while (!_stopping.IsCancellationRequested)
        {
            lock (_gate)
            {
                if (!worker.Dirty)
                {
                    _workers.Remove(slug);
                    return;
                }

                worker.Dirty = false;
            }

            var recheck = await ReconcileOnceAsync(slug, worker).ConfigureAwait(false);
            MarkReconciled(slug);
            if (recheck is { } delay)
            {
                ScheduleRecheck(slug, delay);
            }
        }
    }

    /// <summary>
    /// One reconcile; never throws. An engine outage keeps the last status and retries soon; an error the engine answered
    /// keeps the last status with what the engine refused and retries with backoff; any other exception (a bug,
    /// an unreadable state file) is logged with the deployment's name, turns the status Failed with its message, and
    /// retries with backoff, so that the worker lives on and the first pass (readiness) completes.
    /// </summary>
    private async Task<TimeSpan?> ReconcileOnceAsync(string slug, ReconcileWorker worker)
    {
        // Made before the catalog is read: a spec published after the read cancels it.
        using var callOff = new CancellationTokenSource();
        lock (_gate)
        {
            worker.CallOff = callOff;
        }

        try
        {
            specs.Entries.TryGetValue(slug, out var entry);
            var removal = entry is null ? new RemovalSignals(specs.DeletedOnPurpose(slug), callOff.Token) : RemovalSignals.None;
            var outcome = await reconciler.ReconcileAsync(slug, entry, _stopping, interim => statuses.Set(slug, interim), removal).ConfigureAwait(false);
            statuses.Set(slug, outcome.Status);
            worker.Failures = 0;
            NoteEngineReachable();
            _resync.Reconciled(slug, settled: outcome.RecheckAfter is null);
            return outcome.RecheckAfter;
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception ex) when (EngineFailure.IsUnreachable(ex))
        {
            // A transient outage: the last status (and whatever runs) stays, only its message says why it is stale and
            // since when: ObservedAt stays the last time the engine answered, and the message names it (LastSeen).
            _resync.Reconciled(slug, settled: false);
            NoteUnreachableRetry(slug, ex);
            if (statuses.Get(slug) is { } last)
            {
                statuses.Set(slug, last with { Message = EngineFailure.Describe(ex) + EngineFailure.LastSeen(last.ObservedAt), EngineUnreachable = true });
            }
            else
            {
                // Nothing observed yet: no status (the proxy keeps the routes it had), but the placeholder says why.
                statuses.SetWaitingReason(slug, EngineFailure.Describe(ex));
            }

            return FailureBackoff.EngineRetry;
        }
        catch (EngineException ex)
        {
            // The engine answered with an error (a list, an inspect): what runs stays; the retry backs off.
            _resync.Reconciled(slug, settled: false);
            worker.Failures++;
            var retry = FailureBackoff.After(worker.Failures);
            var message = $"{EngineFailure.Describe(ex)}; retrying in {retry.TotalSeconds:F0}s (attempt {worker.Failures})";
            LogReconcileFailed(slug, message);
            if (statuses.Get(slug) is { } last)
            {
                statuses.Set(slug, last with { Message = message, ObservedAt = time.GetUtcNow(), EngineUnreachable = false });
            }
            else
            {
                SetFailed(slug, message);
            }

            return retry;
        }
        catch (Exception ex)
        {
            _resync.Reconciled(slug, settled: false);
            worker.Failures++;
            var retry = FailureBackoff.After(worker.Failures);
            LogWorkerFailed(slug, ex.GetType().Name, worker.Failures, retry.TotalSeconds, ex.Message);
            SetFailed(slug, $"reconcile failed ({ex.GetType().Name}: {ex.Message}); retrying in {retry.TotalSeconds:F0}s (attempt {worker.Failures})");
            return retry;
        }
        finally
        {
            lock (_gate)
            {
                worker.CallOff = null;
            }
        }
    }

    private void SetFailed(string slug, string message)
    {
        specs.Entries.TryGetValue(slug, out var entry);
        var last = statuses.Get(slug) ?? new DeploymentStatus
        {
            Name = entry?.Name ?? slug,
            Slug = slug,
            State = DeploymentState.Failed,
            SpecFile = entry?.File,
            Image = entry?.Spec?.Image,
            Endpoint = options.EndpointFor(slug),
        };
        statuses.Set(slug, last with { State = DeploymentState.Failed, Message = message, ObservedAt = time.GetUtcNow() });
    }

    private void ScheduleRecheck(string slug, TimeSpan delay) => _rechecks.Schedule(slug, delay, Enqueue, _stopping);
}
