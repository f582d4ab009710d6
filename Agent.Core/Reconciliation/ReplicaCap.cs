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

    /// <summary>The status message for a deployment admitted fewer replicas than it asked for.</summary>
    public string Describe(int asked, int admitted)
    {
        int others;
        lock (_gate)
        {
            others = _total - admitted;
        }

        var refused = asked - admitted;
        var which = refused == 1
            ? $"replica {admitted.ToString(CultureInfo.InvariantCulture)} is"
            : $"replicas {admitted.ToString(CultureInfo.InvariantCulture)}-{(asked - 1).ToString(CultureInfo.InvariantCulture)} are";
        return $"{which} refused: this node runs at most {max.ToString(CultureInfo.InvariantCulture)} replicas (maxReplicas in node.yaml, --max-replicas) and other deployments hold {Math.Max(others, 0).ToString(CultureInfo.InvariantCulture)}; {(refused == 1 ? "it starts" : "they start")} when room frees";
    }

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
