using System.Collections.Concurrent;

namespace GradientNode.Core.Reconciliation;

/// <summary>
/// How long a deployment whose spec this daemon saw and then lost keeps its serving replicas before the removal starts:
/// a spec file away for longer than the watcher's settle interval (a slow checkout, an editor that deletes and writes,
/// <c>mv</c> then <c>ln -s</c> typed as two commands) read "deployment removed", and the replicas were stopped even when
/// the file came back a second later. Within the grace nothing is stopped or taken out of rotation; when the spec comes
/// back the replicas that match it stay (a changed spec rolls them as usual). An explicit delete (<c>gradient-node
/// delete</c>, the API), a deployment with no ready replica, and one this daemon never saw with a spec (removed while it
/// was down) are removed at once. Pure: the caller passes the time, on the monotonic clock.
/// </summary>
public sealed class RemovalGrace(TimeSpan grace)
{
    /// <summary>The grace of the daemon (documented in reconciler.md, "A spec file that comes back").</summary>
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(3);

    /// <summary>Deployments seen with a spec, and when each was first seen without it since (null: it has its spec).</summary>
    private readonly ConcurrentDictionary<string, DateTimeOffset?> _seen = new(StringComparer.Ordinal);

    public TimeSpan Grace => grace;

    /// <summary>
    /// Called at each pass: how much longer <paramref name="slug"/>'s replicas keep serving before the removal starts, or
    /// null when it is not held (it has a spec, the grace is over, or nothing is to be held).
    /// </summary>
    /// <param name="hasSpec">The catalog has an entry for it (also an invalid one: that is not a removal).</param>
    /// <param name="onPurpose">It was deleted explicitly.</param>
    /// <param name="serving">A replica of it is ready.</param>
    /// <param name="now">The monotonic clock.</param>
    public TimeSpan? Hold(string slug, bool hasSpec, bool onPurpose, bool serving, DateTimeOffset now)
    {
        if (hasSpec)
        {
            _seen[slug] = null;
            return null;
        }

        if (!_seen.TryGetValue(slug, out var since) || onPurpose || !serving || grace <= TimeSpan.Zero)
        {
            // Not held now, nor at a later pass of this removal: a grace is given once, when the spec goes.
            _seen.TryRemove(slug, out _);
            return null;
        }

        since ??= _seen[slug] = now;
        var left = grace - (now - since.Value);
        if (left > TimeSpan.Zero)
        {
            return left;
        }

        _seen.TryRemove(slug, out _);
        return null;
    }
}
