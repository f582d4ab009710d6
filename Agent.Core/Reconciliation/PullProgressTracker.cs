using System.Collections.Concurrent;
using GradientNode.Core.Status;

namespace GradientNode.Core.Reconciliation;

/// <summary>
/// The image pull in progress per deployment slug, for status while it runs; cleared when the pull ends. Updates are
/// published at most once per <see cref="PublishInterval"/>. Holds no credentials: only the image and byte counts.
/// </summary>
public sealed class PullProgressTracker(TimeProvider time, TimeSpan? publishInterval = null)
{
    public static readonly TimeSpan DefaultPublishInterval = TimeSpan.FromMilliseconds(500);

    private readonly ConcurrentDictionary<string, PullAggregate> _pulls = new(StringComparer.Ordinal);

    public TimeSpan PublishInterval { get; } = publishInterval ?? DefaultPublishInterval;

    /// <summary>Starts tracking a pull of <paramref name="image"/> and publishes its (empty) progress at once.</summary>
    public PullAggregate Begin(string slug, string image, Action<PullStatus>? publish)
    {
        var pull = new PullAggregate(image, time, PublishInterval, publish);
        _pulls[slug] = pull;
        pull.Flush();
        return pull;
    }

    /// <summary>Shows <paramref name="pull"/> (a background pull shared by several deployments) as <paramref name="slug"/>'s.</summary>
    public void Track(string slug, PullAggregate pull) => _pulls[slug] = pull;

    public PullStatus? Get(string slug) => _pulls.TryGetValue(slug, out var pull) ? pull.Snapshot() : null;

    /// <summary>Forgets <paramref name="pull"/> (not a newer pull of the same slug).</summary>
    public void End(string slug, PullAggregate pull) => _pulls.TryRemove(new KeyValuePair<string, PullAggregate>(slug, pull));
}
