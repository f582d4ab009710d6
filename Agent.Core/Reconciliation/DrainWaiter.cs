using GradientNode.Core.Common;
using GradientNode.Core.Traffic;

namespace GradientNode.Core.Reconciliation;

/// <summary>
/// Waits, after replicas were taken out of rotation, until the proxy reports none of their requests in flight, at
/// most <c>timeout</c> after they left rotation. Reads the proxy's figures (<c>proxy-stats.json</c>, written every
/// few seconds while requests come), and only trusts figures written after the replicas left rotation; figures at rest
/// (<see cref="TrafficSnapshot.IsAtRest"/>: the proxy writes again the moment a request comes) count as written
/// <see cref="RestWake"/> ago. Without a proxy on the node (no figures, or busy figures that stopped coming) there is
/// nothing to wait for.
/// </summary>
public sealed class DrainWaiter(Func<TrafficSnapshot?> stats, TimeProvider time, TimeSpan timeout) : IDrainWait
{
    /// <summary>How long after leaving rotation the proxy's figures can still predate the route change (its poll).</summary>
    public static readonly TimeSpan RoutePropagation = TimeSpan.FromSeconds(1);

    /// <summary>Figures older than this are a proxy that stopped writing.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(10);

    /// <summary>How long after a request arrives a proxy at rest may take to write figures that show it.</summary>
    public static readonly TimeSpan RestWake = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    public TimeSpan Timeout => timeout;

    /// <summary>Returns the requests still in flight when it gave up (0 when drained or nothing to wait for).</summary>
    public async Task<long> WaitAsync(string slug, IReadOnlyList<ObservedReplica> leaving, DateTimeOffset leftRotationAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(leaving);
        var ids = leaving.Select(r => ReplicaRouteId.Of(slug, r.Index, r.ContainerId)).ToHashSet(StringComparer.Ordinal);
        // Its own timeout on the monotonic clock (the wall clock read once, for what passed since the replica left the
        // rotation): a step forward ended the drain at once, with requests still in flight. The proxy's figures carry the
        // proxy's wall time, so they are still compared with the wall clock.
        var deadline = time.After(timeout - (time.GetUtcNow() - leftRotationAt));
        while (true)
        {
            var now = time.GetUtcNow();
            var figures = stats();
            if (figures is null || !figures.IsCurrent(now, StaleAfter))
            {
                return 0;
            }

            var inFlight = figures.TrafficOf(slug, ids).Sum(t => t.InFlight);
            var asOf = figures.IsAtRest() && now - RestWake > figures.Written ? now - RestWake : figures.Written;
            if (asOf >= leftRotationAt + RoutePropagation && inFlight == 0)
            {
                return 0;
            }

            if (time.Until(deadline) <= TimeSpan.Zero)
            {
                return inFlight;
            }

            await Task.Delay(Poll, time, cancellationToken).ConfigureAwait(false);
        }
    }
}
