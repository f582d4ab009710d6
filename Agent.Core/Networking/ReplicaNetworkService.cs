using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GradientNode.Core.Networking;

/// <summary>
/// Makes the replica network and its host rule ready when the daemon starts (replicas that outlived the daemon are
/// protected before any new one is made), then checks both again every few minutes: a rule flushed by another tool
/// comes back, and the node's warnings stay true. When the node stops, both go if nothing is on them.
/// </summary>
public sealed partial class ReplicaNetworkService(ReplicaNetwork network, TimeProvider time, ILogger<ReplicaNetworkService> logger) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await EnsureQuietlyAsync(stoppingToken).ConfigureAwait(false);
            using var timer = new PeriodicTimer(Period, time);
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                network.RecheckSoon();
                await EnsureQuietlyAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// On the node's stop: the network and its host rule go when nothing is on them (<see cref="ReplicaNetwork.ReleaseAsync"/>);
    /// replicas that outlive the node keep both.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await network.ReleaseAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The stop grace ended: what is left, the next start removes once its bridge is gone.
        }
    }

    /// <summary>What fails shows in the node's warnings and the replicas' status; nothing stops this service for good.</summary>
    private async Task EnsureQuietlyAsync(CancellationToken stoppingToken)
    {
        try
        {
            await network.EnsureAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // EnsureAsync turns the engine's failures into its answer; anything else is logged and tried at the next tick.
            LogCheckFailed(logger, network.Name, ex.Message);
        }
    }

    [LoggerMessage(EventId = 2106, Level = LogLevel.Warning, Message = "Checking the replica network {Name} failed (tried again in 5 minutes): {Reason}")]
    private static partial void LogCheckFailed(ILogger logger, string name, string reason);
}
