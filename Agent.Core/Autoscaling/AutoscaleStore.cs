using System.Collections.Concurrent;
using GradientNode.Core.Common;
using GradientNode.Core.Specs;
using GradientNode.Core.Status;

namespace GradientNode.Core.Autoscaling;

/// <summary>
/// The autoscaler's per-deployment state, shared with the reconciler: <see cref="DesiredFor"/> is the replica count
/// the reconciler runs. The desired count and the last scale events survive a daemon restart in
/// <c>&lt;state-dir&gt;/autoscale.json</c> (0600), so a restart neither drops capacity nor forgets why it scaled.
/// </summary>
public sealed class AutoscaleStore
{
    public const string FileName = "autoscale.json";
    private readonly ConcurrentDictionary<string, AutoscaleState> _states = new(StringComparer.Ordinal);
    private readonly string? _path;
    private readonly Lock _writeGate = new();

    /// <param name="stateDir">Where autoscale.json lives; null keeps everything in memory (tests).</param>
    /// <param name="damage">Keeps a damaged file aside and names it (default: unlogged).</param>
    public AutoscaleStore(string? stateDir = null, StateFileDamage? damage = null)
    {
        _path = stateDir is null ? null : Path.Combine(stateDir, FileName);
        foreach (var (slug, saved) in Load(_path, damage ?? StateFileDamage.Unlogged))
        {
            _states[slug] = new AutoscaleState(saved.Desired) { Events = saved.Events };
        }
    }

    /// <summary>Raised with the slug when a deployment's desired count changed.</summary>
    public event Action<string>? Changed;

    /// <summary>The replica count to run: the autoscaler's within the spec's bounds, or <c>resources.replicas</c> without autoscaling.</summary>
    public int DesiredFor(DeploymentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var min = spec.Resources.Replicas;
        if (spec.Resources.Autoscaling is not { Enabled: true } autoscaling || min <= 0)
        {
            return min;
        }

        return _states.TryGetValue(spec.Slug, out var state) ? Math.Clamp(state.Desired, min, Math.Max(min, autoscaling.MaxReplicas)) : min;
    }

    public AutoscaleState? Get(string slug) => _states.GetValueOrDefault(slug);

    /// <summary>Stores a new state; raises <see cref="Changed"/> and saves when the desired count changed.</summary>
    public void Set(string slug, AutoscaleState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var old = _states.GetValueOrDefault(slug);
        _states[slug] = state;
        if (old is null || old.Desired != state.Desired || !ReferenceEquals(old.Events, state.Events))
        {
            Save();
        }

        if (old?.Desired != state.Desired)
        {
            Changed?.Invoke(slug);
        }
    }

    /// <summary>Drops a deployment that is gone or no longer autoscaled.</summary>
    public void Forget(string slug)
    {
        if (_states.TryRemove(slug, out _))
        {
            Save();
            Changed?.Invoke(slug);
        }
    }

    public IReadOnlyCollection<string> Slugs => [.. _states.Keys];

    /// <summary>The <c>status.autoscaling</c> block for <paramref name="spec"/>, or null without autoscaling.</summary>
    public AutoscalingStatus? StatusOf(DeploymentSpec? spec)
    {
        if (spec is not { Resources.Autoscaling: { Enabled: true } autoscaling } || spec.Resources.Replicas <= 0)
        {
            return null;
        }

        var state = _states.GetValueOrDefault(spec.Slug);
        var decision = state?.LastDecision;
        ScaleEventStatus[] scales = state is null ? [] : [.. state.Events.Select(ToStatus)];
        return new AutoscalingStatus
        {
            MinReplicas = spec.Resources.Replicas,
            MaxReplicas = autoscaling.MaxReplicas,
            DesiredReplicas = DesiredFor(spec),
            Recommendation = decision?.Recommendation ?? DesiredFor(spec),
            Panic = decision?.Panic ?? false,
            Metrics = [.. autoscaling.Metrics.Select(m => MetricStatus(m, state))],
            LastScale = scales.LastOrDefault(),
            Scales = scales,
            Note = state is null ? "not evaluated yet" : decision?.Note,
            EvaluatedAt = state?.EvaluatedAt,
        };
    }

    private static AutoscalingMetricStatus MetricStatus(AutoscalingMetricSpec metric, AutoscaleState? state)
    {
        var proposal = state?.LastDecision?.Proposals.FirstOrDefault(p => p.Metric == metric.Metric);
        var reading = state?.Readings.FirstOrDefault(r => r.Metric == metric.Metric);
        return new AutoscalingMetricStatus(
            AutoscaleDecider.Name(metric.Metric),
            metric.Value,
            Round(reading?.Stable),
            Round(reading?.Panic),
            proposal?.Panic ?? false,
            proposal?.Replicas);
    }

    private static ScaleEventStatus ToStatus(ScaleEvent scale) => new(scale.At, scale.From, scale.To, scale.Reason);

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 4) : null;

    private void Save()
    {
        if (_path is null)
        {
            return;
        }

        lock (_writeGate)
        {
            var snapshot = _states.ToDictionary(p => p.Key, p => new PersistedAutoscale(p.Value.Desired, p.Value.Events), StringComparer.Ordinal);

            // Not written: the count stays in memory; a restart falls back to resources.replicas and scales again.
            _ = JsonStateFile.TryWrite(_path, snapshot, AutoscaleJsonContext.Default.DictionaryStringPersistedAutoscale);
        }
    }

    /// <summary>A missing, unreadable or damaged file (kept aside, named): nothing saved (every deployment starts at resources.replicas).</summary>
    private static Dictionary<string, PersistedAutoscale> Load(string? path, StateFileDamage damage) =>
        path is null ? [] : damage.Read(path, AutoscaleJsonContext.Default.DictionaryStringPersistedAutoscale, Without) ?? [];

    private const string Without = "every autoscaled deployment starts again at its resources.replicas and its past scale events are not shown";
}
