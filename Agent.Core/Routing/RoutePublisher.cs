using GradientNode.Core.Catalog;
using GradientNode.Core.Common;
using GradientNode.Core.Reconciliation;
using GradientNode.Core.Status;
using GradientNode.Core.Traffic;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GradientNode.Core.Routing;

/// <summary>
/// Writes the route table for the proxy role whenever deployment status changes. After a daemon start it
/// waits until every known deployment has been observed once, so a restarting daemon never hands the proxy
/// an empty table (the proxy keeps serving its last routes meanwhile); a deployment still not observed when the
/// wait ends (the engine does not answer) keeps the route it had in the table written before, until it is. Routes fail closed: a deployment with
/// no valid catalog entry (deleted while its replicas drain, never valid) keeps the protection it was last
/// published with, and gets no route when none is known. A failing write (a full disk) never stops the daemon:
/// the proxy keeps the last table written, the problem shows in <see cref="Warnings"/>, and the write is retried
/// with backoff. Changes coalesce (issue 20): a change after a quiet <see cref="CoalesceWindow"/> is published at once;
/// the changes of a burst (50 deployments starting) are published together at most once per window, so the table, and
/// the proxy's reload of every route, are rebuilt O(1) times per window instead of once per status change. No change
/// waits longer than the window (plus one build) to reach the table.
/// </summary>
public sealed partial class RoutePublisher(
    RouteTableStore store,
    StatusStore statuses,
    SpecDirectoryWatcher specs,
    TimeProvider time,
    ILogger<RoutePublisher> logger,
    EndpointAuthorization? endpointAuth = null,
    TimeSpan? coalesceWindow = null) : BackgroundService
{
    /// <summary>The most a change waits for the table (it is shorter than the drain of a leaving replica, 2 s).</summary>
    public static readonly TimeSpan DefaultCoalesceWindow = TimeSpan.FromMilliseconds(500);

    private static readonly TimeSpan WarmUpLimit = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Rewrite = TimeSpan.FromSeconds(5);

    /// <summary>How often the table is rebuilt even when none of its inputs says it changed (a safety net).</summary>
    private static readonly TimeSpan Refresh = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim _changed = new(0);
    private readonly Lock _gate = new();

    /// <summary>What each deployment's route expects in Authorization; fails closed (<see cref="RouteProtection"/>).</summary>
    private readonly RouteProtection _protection = new(endpointAuth, logger);

    /// <summary>The routes of the table written before this start, for the deployments that have no status yet.</summary>
    private readonly Dictionary<string, DeploymentRoute> _unobserved = new(StringComparer.Ordinal);

    private string? _lastWritten;
    private long _lastVersion;
    private (long Statuses, IReadOnlyDictionary<string, CatalogEntry>? Specs, long Invalidations) _lastInputs;
    private long? _lastBuilt; // monotonic; null before the first build
    private long _invalidations;
    private long _builds;

    /// <summary>The table's write problem: logged once per kind (1202) and once when gone (1203).</summary>
    private readonly ProblemLog _problem = new(time);
    private int _failures;

    /// <summary>At most one build per this window while changes keep coming; a change after a quiet window is published at once.</summary>
    public TimeSpan CoalesceWindow { get; } = coalesceWindow ?? DefaultCoalesceWindow;

    /// <summary>Problems the node report shows: the route table could not be written.</summary>
    public IReadOnlyList<string> Warnings => _problem.Current is { } problem ? [problem] : [];

    /// <summary>How long the loop waits before the next attempt: backoff after failures, else <see cref="Rewrite"/>.</summary>
    internal TimeSpan NextAttempt
    {
        get
        {
            lock (_gate)
            {
                return _failures == 0
                    ? Rewrite
                    : TimeSpan.FromTicks(Math.Min(MaxRetry.Ticks, FirstRetry.Ticks << Math.Min(_failures - 1, 16)));
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        statuses.Changed += _ => _changed.Release();
        RememberPublished(store.Read().Table);
        await specs.FirstScan.WaitAsync(stoppingToken).ConfigureAwait(false);
        var started = time.GetTimestamp(); // every wait here is monotonic: a clock step back delayed the routes by as much
        while (!specs.Entries.Keys.All(slug => statuses.Get(slug) is not null) && time.GetElapsedTime(started) < WarmUpLimit)
        {
            await _changed.WaitAsync(TimeSpan.FromMilliseconds(500), stoppingToken).ConfigureAwait(false);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            PublishIfChanged();
            var failing = NextAttempt != Rewrite;
            if (failing)
            {
                // Backoff: a full disk is not retried on every status change.
                await Task.Delay(NextAttempt, time, stoppingToken).ConfigureAwait(false);
            }
            else if (await _changed.WaitAsync(Rewrite, stoppingToken).ConfigureAwait(false))
            {
                await CoalesceAsync(stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// A change arrived: when the last build is younger than <see cref="CoalesceWindow"/>, waits for the window to end so
    /// that the changes arriving meanwhile are published together; then takes every pending signal at once.
    /// </summary>
    private async Task CoalesceAsync(CancellationToken cancellationToken)
    {
        long? lastBuilt;
        lock (_gate)
        {
            lastBuilt = _lastBuilt;
        }

        var wait = lastBuilt is { } built ? CoalesceWindow - time.GetElapsedTime(built) : TimeSpan.Zero;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
        }

        while (_changed.Wait(0, CancellationToken.None))
        {
            // Drained: one build below covers every change signalled so far.
        }
    }

    /// <summary>How many times the table was built from the status (the idle-cost test counts them).</summary>
    internal long Builds => Interlocked.Read(ref _builds);

    /// <summary>Something the table depends on besides status and specs changed (a secret behind basic auth): rebuild it.</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref _invalidations);
        _changed.Release();
    }

    /// <summary>
    /// One pass of the loop: builds and writes the table only when the status, the catalog or an <see cref="Invalidate"/> changed
    /// since the last build (or after a failed write, or <see cref="Refresh"/> after the last build); otherwise does nothing.
    /// </summary>
    internal void PublishIfChanged()
    {
        var inputs = (statuses.Version, specs.Entries, Interlocked.Read(ref _invalidations));
        lock (_gate)
        {
            if (_failures == 0 && inputs.Version == _lastInputs.Statuses && ReferenceEquals(inputs.Entries, _lastInputs.Specs)
                && inputs.Item3 == _lastInputs.Invalidations && _lastBuilt is { } built && time.GetElapsedTime(built) < Refresh)
            {
                return;
            }

            _lastInputs = inputs;
            _lastBuilt = time.GetTimestamp();
        }

        Publish();
    }

    /// <summary>Seeds the last known protection from a table written before (the daemon restarted).</summary>
    internal void RememberPublished(RouteTable table)
    {
        lock (_gate)
        {
            foreach (var route in table.Deployments)
            {
                _protection.Remember(route);
                _unobserved.TryAdd(route.Slug, route);
            }
        }
    }

    /// <summary>Builds the table from the current status and writes it if anything changed; never throws.</summary>
    public void Publish()
    {
        lock (_gate)
        {
            try
            {
                PublishLocked();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Failed(ex);
            }
        }
    }

    private void PublishLocked()
    {
        Interlocked.Increment(ref _builds);
        var all = statuses.All;
        foreach (var observed in all)
        {
            _unobserved.Remove(observed.Slug);
        }

        var current = all
            .Where(s => s.State != DeploymentState.Invalid || s.Replicas.Count > 0)
            .ToList();
        var routes = current.Select(ToRoute).OfType<DeploymentRoute>().Concat(CarriedOver()).ToList();
        foreach (var gone in _protection.Known.Where(slug => !current.Any(s => s.Slug == slug)).ToList())
        {
            _protection.Forget(gone);
        }

        var fingerprint = string.Join('\n', routes.Select(r => $"{r.Slug}|{r.Enabled}|{r.Off}|{r.Waiting}|{r.ExpectedAuthorization?.GetHashCode(StringComparison.Ordinal)}|{r.H2c}|{string.Join(',', r.Replicas.Select(x => $"{x.Id}@{x.Address}:{x.Ready}"))}"));
        if (fingerprint == _lastWritten)
        {
            return;
        }

        // Versions only grow, also for two writes in one millisecond: the proxy answers with the one it serves.
        var version = Math.Max(time.GetUtcNow().ToUnixTimeMilliseconds(), _lastVersion + 1);
        store.Write(new RouteTable(version, time.GetUtcNow(), routes));
        _lastWritten = fingerprint;
        _lastVersion = version;
        RememberWritten(routes, version);
        if (_problem.Clear())
        {
            LogRecovered(_failures);
        }

        _failures = 0;
        LogPublished(routes.Count, routes.Sum(r => r.Replicas.Count(x => x.Ready)));
    }

    private void Failed(Exception ex)
    {
        _failures++;
        var problem = $"the route table {store.FilePath} could not be written ({ex.Message}); the proxy keeps the last routes written, retrying";
        // Once per kind of problem, known without the temp file's name that a full disk's message gives at each try;
        // the message names the file and the error, never the table's content.
        if (_problem.Report(problem, $"{ex.GetType().Name} {ex.HResult} {FileProblem.Describe(ex)}"))
        {
            LogWriteFailed(ex.GetType().Name, ex.Message);
        }
    }

    /// <summary>
    /// The routes written before this start for deployments not observed since (the engine has not answered yet: their
    /// replicas still run), so that the table never drops a serving deployment; each takes its protection from its spec
    /// now. A deployment whose spec is gone or never parsed is not carried.
    /// </summary>
    private IEnumerable<DeploymentRoute> CarriedOver() =>
        _unobserved.Values
            .Select(route => specs.Entries.TryGetValue(route.Slug, out var entry) && entry.Spec is { } spec
                ? route with { ExpectedAuthorization = _protection.Expected(route.Slug, spec), AuthorizationSecret = _protection.SecretOf(route.Slug) }
                : null)
            .OfType<DeploymentRoute>()
            .ToList();

    private DeploymentRoute? ToRoute(DeploymentStatus status)
    {
        var replicas = status.Replicas
            .Where(i => i.Address is not null)
            .Select(i => new ReplicaRoute(ReplicaRouteId.Of(status.Slug, i.Index, i.ContainerId), i.Address!, i.Ready))
            .ToList();
        string? authorization;
        bool h2c;
        if (specs.Entries.TryGetValue(status.Slug, out var entry) && entry.Spec is { } spec)
        {
            h2c = spec.Protocol == Specs.ReplicaProtocol.H2c;
            authorization = _protection.Expected(status.Slug, spec);
            _protection.Published(status.Slug, authorization, h2c);
        }
        else if (_protection.TryGetPublished(status.Slug, out var published))
        {
            // No spec now (its file away for a moment, or a removal draining): as it was last published.
            (authorization, h2c) = (published.Authorization, published.H2c);
        }
        else
        {
            // No spec and nothing published before: its protection is unknown, so it is not served at all.
            return null;
        }

        var off = status.Enabled ? null : OffReason.Of(entry);
        return new DeploymentRoute(status.Slug, status.Name, status.Enabled, replicas, authorization, h2c, HoldReason.Of(status), _protection.SecretOf(status.Slug), off);
    }

    [LoggerMessage(EventId = 1201, Level = LogLevel.Debug, Message = "route table written: {Deployments} deployments, {Ready} ready replicas")]
    private partial void LogPublished(int deployments, int ready);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "route table could not be written ({Kind}: {Error}); the proxy keeps the last routes, retrying with backoff")]
    private partial void LogWriteFailed(string kind, string error);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Information, Message = "route table written again after {Failures} failed attempts")]
    private partial void LogRecovered(int failures);
}
