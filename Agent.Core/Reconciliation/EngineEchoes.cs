using GradientNode.Core.Engine;

namespace GradientNode.Core.Reconciliation;

/// <summary>
/// The Docker events the reconciler caused itself, and the events that never change what it observes (issue 20).
/// Each replica the executor creates and starts comes back as a <c>create</c> and a <c>start</c> event while the pass
/// that caused them is still running, and each of them used to cost one more pass (a list, an inspect per replica, a
/// readiness check) that saw nothing the creating pass did not see: that pass observes after it executes. An exec probe
/// raises <c>exec_create</c>, <c>exec_start</c> and <c>exec_die</c> every period. Both are dropped; any other event
/// (<c>die</c>, <c>destroy</c>, <c>oom</c>, a <c>start</c> or <c>create</c> someone else made, …) still enqueues.
/// </summary>
public sealed class EngineEchoes(TimeProvider time)
{
    /// <summary>How long an expected echo waits for its event (one that came before it was expected is never consumed).</summary>
    internal static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    /// <summary>Container actions that change neither its state nor its labels.</summary>
    private static readonly HashSet<string> Inert = new(StringComparer.Ordinal)
    {
        "exec_create", "exec_start", "exec_die", "exec_detach", "attach", "detach", "resize", "top", "export", "commit", "copy",
        "archive-path", "extract-to-dir",
    };

    private readonly Lock _gate = new();
    private readonly Dictionary<(string Name, string Action), long> _expected = []; // when: monotonic

    /// <summary>Expected echoes not yet seen (tests look at it: it stays bounded).</summary>
    internal int Pending
    {
        get
        {
            lock (_gate)
            {
                return _expected.Count;
            }
        }
    }

    /// <summary>
    /// The executor is about to <paramref name="action"/> the container named <paramref name="name"/> itself and will observe
    /// the result. By name, not id: the create event can come before the create call returns the id.
    /// </summary>
    public void Expect(string name, string action)
    {
        var now = time.GetTimestamp();
        lock (_gate)
        {
            if (_expected.Count >= 64)
            {
                foreach (var stale in _expected.Where(e => time.GetElapsedTime(e.Value) > Lifetime).Select(e => e.Key).ToList())
                {
                    _expected.Remove(stale);
                }
            }

            _expected[(name, action)] = now;
        }
    }

    /// <summary>Whether <paramref name="change"/> needs a reconcile: false for an inert action and for an expected echo (consumed).</summary>
    public bool NeedsReconcile(EngineEvent change)
    {
        ArgumentNullException.ThrowIfNull(change);
        // "exec_start: sh -c …", "health_status: healthy": the verb is what comes before the colon.
        var colon = change.Action.IndexOf(':', StringComparison.Ordinal);
        if (Inert.Contains(colon < 0 ? change.Action : change.Action[..colon]))
        {
            return false;
        }

        if (!change.Attributes.TryGetValue("name", out var name))
        {
            return true;
        }

        lock (_gate)
        {
            return !_expected.Remove((name, change.Action));
        }
    }
}
