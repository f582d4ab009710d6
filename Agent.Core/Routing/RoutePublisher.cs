using System.Security.Cryptography;
using System.Text;
using GradientNode.Core.Catalog;
using GradientNode.Core.Reconciliation;
using GradientNode.Core.Status;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GradientNode.Core.Routing;

/// <summary>
/// Writes the route table for the proxy role whenever deployment status changes. After a daemon start it
/// waits until every known deployment has been observed once, so a restarting daemon never hands the proxy
/// an empty table (the proxy keeps serving its last routes meanwhile).
/// </summary>
public sealed partial class RoutePublisher(
    RouteTableStore store,
    StatusStore statuses,
    SpecDirectoryWatcher specs,
    TimeProvider time,
    ILogger<RoutePublisher> logger,
    DeploymentSecrets? secrets = null) : BackgroundService
{
    private static readonly TimeSpan WarmUpLimit = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Rewrite = TimeSpan.FromSeconds(5);
    private readonly SemaphoreSlim _changed = new(0);
    private string? _lastWritten;

    /// <summary>The value no client can send: used when a protected endpoint's secret cannot be resolved.</summary>
    private readonly string _unguessable = "Basic " + Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        statuses.Changed += _ => _changed.Release();
        await specs.FirstScan.WaitAsync(stoppingToken).ConfigureAwait(false);
        var started = time.GetUtcNow();
        while (!specs.Entries.Keys.All(slug => statuses.Get(slug) is not null) && time.GetUtcNow() - started < WarmUpLimit)
        {
            await _changed.WaitAsync(TimeSpan.FromMilliseconds(500), stoppingToken).ConfigureAwait(false);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            Publish();
            await _changed.WaitAsync(Rewrite, stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>Builds the table from the current status and writes it if anything changed.</summary>
    public void Publish()
    {
        var routes = statuses.All
            .Where(s => s.State != DeploymentState.Invalid || s.Instances.Count > 0)
            .Select(ToRoute)
            .ToList();
        var fingerprint = string.Join('\n', routes.Select(r => $"{r.Slug}|{r.Enabled}|{r.ExpectedAuthorization?.GetHashCode(StringComparison.Ordinal)}|{string.Join(',', r.Replicas.Select(x => $"{x.Id}@{x.Address}:{x.Ready}"))}"));
        if (fingerprint == _lastWritten)
        {
            return;
        }

        try
        {
            store.Write(new RouteTable(time.GetUtcNow().ToUnixTimeMilliseconds(), time.GetUtcNow(), routes));
            _lastWritten = fingerprint;
            LogPublished(routes.Count, routes.Sum(r => r.Replicas.Count(x => x.Ready)));
        }
        catch (IOException ex)
        {
            LogWriteFailed(ex.Message);
        }
    }

    private DeploymentRoute ToRoute(DeploymentStatus status)
    {
        var replicas = status.Instances
            .Where(i => i.Address is not null)
            .Select(i => new ReplicaRoute(ReplicaRouteId.Of(status.Slug, i.Index, i.ContainerId), i.Address!, i.Ready))
            .ToList();
        string? authorization = null;
        if (specs.Entries.TryGetValue(status.Slug, out var entry) && entry.Spec is { BasicAuthKey: not null } spec)
        {
            // A protected endpoint whose secret is unavailable refuses everyone rather than serve in the open.
            authorization = secrets?.ExpectedAuthorization(spec) ?? _unguessable;
        }

        return new DeploymentRoute(status.Slug, status.Name, status.Enabled, replicas, authorization);
    }

    internal static string BasicHeader(string password) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"paperspace:{password}"));

    [LoggerMessage(EventId = 1201, Level = LogLevel.Debug, Message = "route table written: {Deployments} deployments, {Ready} ready replicas")]
    private partial void LogPublished(int deployments, int ready);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "route table could not be written: {Error}")]
    private partial void LogWriteFailed(string error);
}
