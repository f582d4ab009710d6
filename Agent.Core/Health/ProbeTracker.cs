using GradientNode.Core.Specs;

namespace GradientNode.Core.Health;

/// <summary>
/// The pure per-replica probe state machine (Kubernetes semantics, successThreshold 1):
/// <list type="bullet">
/// <item>Each probe is first due <c>initialDelaySeconds</c> after the container started, then every <c>periodSeconds</c>.</item>
/// <item>A startup probe gates the other two: they start only once it has passed (and not before their own initial delay).</item>
/// <item>Startup or liveness failing <c>failureThreshold</c> times in a row: <see cref="ReplicaHealth.MustRestart"/>.</item>
/// <item>Readiness: not ready until it passes; one success makes ready, <c>failureThreshold</c> failures in a row not ready.</item>
/// </list>
/// No I/O and no clock of its own: callers ask <see cref="Due"/> and <see cref="NextDue"/> and <see cref="Record"/> results.
/// </summary>
public sealed class ProbeTracker
{
    private readonly Dictionary<ProbeType, Probe> _probes = [];
    private readonly DateTimeOffset _started;
    private bool _startupPassed;
    private bool _ready;
    private string? _restartReason;

    public ProbeTracker(HealthChecksSpec checks, DateTimeOffset containerStarted)
    {
        ArgumentNullException.ThrowIfNull(checks);
        _started = containerStarted;
        Add(ProbeType.Startup, checks.Startup);
        Add(ProbeType.Readiness, checks.Readiness);
        Add(ProbeType.Liveness, checks.Liveness);
        _startupPassed = checks.Startup is null;
    }

    public bool HasReadinessProbe => _probes.ContainsKey(ProbeType.Readiness);

    public bool StartupPassed => _startupPassed;

    public string? RestartReason => _restartReason;

    public ReplicaHealth Health => this switch
    {
        { _restartReason: not null } => ReplicaHealth.MustRestart,
        { _startupPassed: false } => ReplicaHealth.Starting,
        { HasReadinessProbe: false } => ReplicaHealth.Ready,
        _ => _ready ? ReplicaHealth.Ready : ReplicaHealth.NotReady,
    };

    public ProbeSpec? Spec(ProbeType type) => _probes.GetValueOrDefault(type)?.Spec;

    public ProbeStatus? Status(ProbeType type) => _probes.GetValueOrDefault(type)?.Status;

    /// <summary>The probes to run now (none once the replica must restart).</summary>
    public IReadOnlyList<ProbeType> Due(DateTimeOffset now) =>
        [.. Active().Where(pair => pair.Value.NextDue <= now).Select(pair => pair.Key)];

    /// <summary>When the next probe is due, or null when none will run (no probes, or the replica must restart).</summary>
    public DateTimeOffset? NextDue() =>
        Active().Select(pair => (DateTimeOffset?)pair.Value.NextDue).Min();

    /// <summary>
    /// Records the result of a probe of <paramref name="type"/> that was started at <paramref name="startedAt"/> (the
    /// tracker's schedule), shown as started at <paramref name="shownAt"/> (wall time; <paramref name="startedAt"/> when null).
    /// </summary>
    /// <returns>True when <see cref="Health"/> changed.</returns>
    public bool Record(ProbeType type, ProbeResult result, DateTimeOffset startedAt, DateTimeOffset? shownAt = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!_probes.TryGetValue(type, out var probe) || _restartReason is not null)
        {
            return false;
        }

        var before = Health;
        var failures = result.Success ? 0 : probe.Status.ConsecutiveFailures + 1;
        probe.Status = new ProbeStatus
        {
            LastResult = result.Result,
            LastMessage = result.Message,
            ConsecutiveFailures = failures,
            LastProbedAt = shownAt ?? startedAt,
            Hint = result.Success ? null : HintFor(result),
        };
        probe.NextDue = startedAt + TimeSpan.FromSeconds(Math.Max(1, probe.Spec.PeriodSeconds));
        var threshold = Math.Max(1, probe.Spec.FailureThreshold);

        switch (type)
        {
            case ProbeType.Startup when result.Success:
                _startupPassed = true;
                foreach (var (other, gated) in _probes.Where(p => p.Key != ProbeType.Startup))
                {
                    var ownDelay = _started + TimeSpan.FromSeconds(Math.Max(0, gated.Spec.InitialDelaySeconds));
                    gated.NextDue = ownDelay > startedAt ? ownDelay : startedAt;
                }

                break;
            case ProbeType.Startup or ProbeType.Liveness when failures >= threshold:
                _restartReason = $"{type.ToString().ToLowerInvariant()} probe failed {failures} times in a row: {result.Message}";
                break;
            case ProbeType.Readiness when result.Success:
                _ready = true;
                break;
            case ProbeType.Readiness when failures >= threshold:
                _ready = false;
                break;
        }

        return Health != before;
    }

    private static string? HintFor(ProbeResult result) => result.Result switch
    {
        "connectionRefused" => "nothing listens on the probe's port; check healthChecks port (default: the first app port)",
        "httpStatus" when result.Message.StartsWith("404", StringComparison.Ordinal) => "the probe's path does not exist (404); check healthChecks path",
        _ => null,
    };

    private IEnumerable<KeyValuePair<ProbeType, Probe>> Active() =>
        _restartReason is not null
            ? []
            : _probes.Where(pair => (pair.Key == ProbeType.Startup) != _startupPassed);

    private void Add(ProbeType type, ProbeSpec? spec)
    {
        if (spec is not null)
        {
            _probes[type] = new Probe(spec, _started + TimeSpan.FromSeconds(Math.Max(0, spec.InitialDelaySeconds)));
        }
    }

    private sealed class Probe(ProbeSpec spec, DateTimeOffset firstDue)
    {
        public ProbeSpec Spec { get; } = spec;

        public DateTimeOffset NextDue { get; set; } = firstDue;

        public ProbeStatus Status { get; set; } = new();
    }
}
