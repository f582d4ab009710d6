using System.Globalization;

namespace GradientNode.Core.Reconciliation;

/// <summary>
/// The node-wide bound on replicas (<c>--max-replicas</c>, node.yaml <c>maxReplicas</c>): each deployment is admitted
/// as many of the replicas it asks for as fit beside what the other deployments hold. Replicas that run are never
/// taken back to make room (a deployment is always admitted at least the replicas it serves, up to what it asks for:
/// after a daemon restart, or a lowered cap, the node may hold more than the cap until some go); the rest wait, named
/// in the deployment's status, and start when another deployment lets go of some. A rollout's surge replica is the
/// same replica, not one more. Thread-safe; 0 means no bound.
/// </summary>
public sealed class ReplicaCap(int max)
{
    public const int DefaultMax = 1000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _admitted = new(StringComparer.Ordinal);
    private int _total;

    public int Max => max;

    /// <summary>
    /// How many of <paramref name="asked"/> replicas <paramref name="slug"/> may have, given that <paramref name="serving"/>
    /// of its replicas run now; the answer is held for it until the next call or <see cref="Release"/>.
    /// </summary>
    public int Admit(string slug, int asked, int serving)
    {
        ArgumentNullException.ThrowIfNull(slug);
        lock (_gate)
        {
            var held = _admitted.GetValueOrDefault(slug);
            var others = _total - held;
            var admitted = max <= 0 ? asked : Math.Min(asked, Math.Max(Math.Min(serving, asked), max - others));
            admitted = Math.Max(admitted, 0);
            Set(slug, held, admitted);
            return admitted;
        }
    }

    /// <summary><paramref name="slug"/> holds nothing any more (deleted, disabled, scaled to 0).</summary>
    public void Release(string slug)
    {
        ArgumentNullException.ThrowIfNull(slug);
        lock (_gate)
        {
            Set(slug, _admitted.GetValueOrDefault(slug), 0);
        }
    }

    /// <summary>
    /// The status message for a deployment admitted <paramref name="admitted"/> replicas, fewer than it asked for: it names
    /// the <paramref name="refused"/> indexes (<see cref="ReplicaSlots.Refused"/>: never one that runs).
    /// </summary>
    public string Describe(int admitted, IReadOnlyList<int> refused)
    {
        ArgumentNullException.ThrowIfNull(refused);
        int others;
        lock (_gate)
        {
            others = _total - admitted;
        }

        var which = refused.Count == 1 ? $"replica {Number(refused[0])} is" : $"replicas {Indexes(refused)} are";
        return $"{which} refused: this node runs at most {Number(max)} replicas (maxReplicas in node.yaml, --max-replicas) and other deployments hold {Number(Math.Max(others, 0))}; {(refused.Count == 1 ? "it starts" : "they start")} when room frees";
    }

    /// <summary><c>1-3</c> for a run of indexes, else <c>0, 3 and 4</c>.</summary>
    private static string Indexes(IReadOnlyList<int> indexes)
    {
        if (indexes.Count > 1 && indexes[^1] - indexes[0] == indexes.Count - 1)
        {
            return $"{Number(indexes[0])}-{Number(indexes[^1])}";
        }

        return indexes.Count < 2
            ? string.Join(", ", indexes.Select(Number))
            : $"{string.Join(", ", indexes.Take(indexes.Count - 1).Select(Number))} and {Number(indexes[^1])}";
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private void Set(string slug, int held, int admitted)
    {
        _total += admitted - held;
        if (admitted == 0)
        {
            _admitted.Remove(slug);
        }
        else
        {
            _admitted[slug] = admitted;
        }
    }
}
