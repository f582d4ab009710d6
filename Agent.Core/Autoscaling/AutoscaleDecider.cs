using System.Globalization;
using GradientNode.Core.Specs;

namespace GradientNode.Core.Autoscaling;

/// <summary>
/// The autoscaling decision, a pure function of its input and the options (tested on a fake clock).
/// <list type="number">
/// <item>Each metric proposes <c>ceil(ready × value / target)</c>, or the current count when the ratio is within the
/// tolerance. The value is the stable-window average, unless the short window is at least
/// <see cref="AutoscalerOptions.PanicThreshold"/>× the target (panic: the short window decides, and never downwards).
/// Otherwise a scale-up is capped by what the short window proposes (when it has data), so a stable window that still
/// holds the load of fewer replicas does not scale again.</item>
/// <item>The recommendation is the highest proposal, bounded by <c>replicas</c> and <c>maxReplicas</c>.</item>
/// <item>Above the current count it applies at once, by at most ×2 or +4 (the higher) over the count of
/// <see cref="AutoscalerOptions.ScaleUpPeriod"/> ago; below, the count goes down to the highest recommendation of the
/// stabilization window.</item>
/// </list>
/// </summary>
public static class AutoscaleDecider
{
    public static AutoscaleDecision Decide(AutoscaleInput input, AutoscalerOptions options)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(options);
        var min = Math.Max(1, input.Min);
        var max = Math.Max(min, input.Max);
        var current = Math.Clamp(input.Current, min, max);
        var proposals = input.Readings.Select(r => Propose(r, input.Ready, current, options)).ToList();
        var panic = proposals.Any(p => p.Panic);
        var known = proposals.Where(p => p.Replicas is not null).ToList();

        string? note = null;
        int recommendation;
        if (input.Ready == 0)
        {
            note = $"no ready replica: holding at {current}";
            recommendation = current;
        }
        else if (known.Count == 0)
        {
            note = $"no metric has data yet: holding at {current}";
            recommendation = current;
        }
        else
        {
            recommendation = Math.Clamp(known.Max(p => p.Replicas!.Value), min, max);
        }

        var windowStart = input.Now - options.ScaleDownStabilization;
        var history = input.History.Where(h => h.At > windowStart).Append(new Recommendation(input.Now, recommendation)).ToList();

        var desired = current;
        string? reason = null;
        if (recommendation > current)
        {
            var since = input.Now - options.ScaleUpPeriod;
            var basis = input.Events.Where(e => e.At > since && e.To > e.From).Select(e => e.From).DefaultIfEmpty(current).Min();
            var limit = Math.Max((int)Math.Ceiling(basis * options.ScaleUpFactor), basis + options.ScaleUpStep);
            desired = Math.Max(current, Math.Min(recommendation, limit));
            reason = Explain(known.Where(p => p.Replicas >= recommendation).First(), "above");
            if (desired < recommendation)
            {
                reason += $" (limited to {desired} for now: at most ×{options.ScaleUpFactor:0.##} or +{options.ScaleUpStep} per {Seconds(options.ScaleUpPeriod)})";
            }
        }
        else
        {
            var stabilized = history.Max(h => h.Replicas);
            if (stabilized < current)
            {
                desired = stabilized;
                var below = known.Where(p => p.Replicas <= recommendation).OrderByDescending(p => p.Replicas).FirstOrDefault();
                reason = (below is null ? "no load" : Explain(below, "below")) + $"; highest recommendation of the last {Seconds(options.ScaleDownStabilization)} is {stabilized}";
            }
        }

        var scaleEvent = desired == current && input.Current == current
            ? null
            : new ScaleEvent(input.Now, input.Current, desired, reason ?? $"bounds changed: replicas {min}, maxReplicas {max}");
        return new AutoscaleDecision(desired, recommendation, panic, proposals, history, scaleEvent, note);
    }

    private static MetricProposal Propose(MetricReading reading, int ready, int current, AutoscalerOptions options)
    {
        var panic = reading.Panic is { } shortValue && reading.Target > 0 && shortValue >= options.PanicThreshold * reading.Target;
        var value = panic ? reading.Panic : reading.Stable;
        if (value is not { } v || ready <= 0 || reading.Target <= 0)
        {
            return new MetricProposal(reading.Metric, reading.Target, value, false, null);
        }

        var ratio = v / reading.Target;
        var replicas = Math.Abs(ratio - 1) <= options.Tolerance
            ? current
            : (int)Math.Ceiling((ready * ratio) - 1e-9);
        if (panic)
        {
            // Knative's rule: while panicking, never propose fewer replicas than there are.
            replicas = Math.Max(replicas, current);
        }
        else if (replicas > current && reading.Panic is { } recent)
        {
            // A scale-up needs the short window too: right after a scale-up the stable window still holds the load
            // of fewer replicas, and ready × that value would scale again and again.
            var recentRatio = recent / reading.Target;
            var recentReplicas = Math.Abs(recentRatio - 1) <= options.Tolerance ? current : (int)Math.Ceiling((ready * recentRatio) - 1e-9);
            replicas = Math.Min(replicas, Math.Max(recentReplicas, current));
        }

        return new MetricProposal(reading.Metric, reading.Target, v, panic, replicas);
    }

    private static string Explain(MetricProposal proposal, string direction) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{Name(proposal.Metric)} {Format(proposal.Metric, proposal.Value ?? 0)}{(IsIdle(proposal.Metric, proposal.Value) ? $" ({IdleWords})" : string.Empty)} {direction} target {Format(proposal.Metric, proposal.Target)}{(proposal.Panic ? " (short window, panic mode)" : string.Empty)}: proposes {proposal.Replicas}");

    /// <summary>
    /// Why a <c>requestDuration</c> of exactly 0 is 0: the autoscaler reads a deployment with no request completed in the
    /// short window and none in flight as idle (<c>AutoscalerService.RequestDuration</c>), whatever its 5-minute
    /// average; no measured duration is 0. Said in the scale reason and by <c>get</c>, where the Traffic line above
    /// still shows that average (before, "requestDuration 0 s below target" beside "avg 505.9 ms (5m)").
    /// </summary>
    public const string IdleWords = "idle: no request completed in the last 10 s and none in flight";

    /// <summary>Whether <paramref name="value"/> is the idle 0 of a <c>requestDuration</c> metric (see <see cref="IdleWords"/>).</summary>
    public static bool IsIdle(AutoscalingMetric metric, double? value) => metric == AutoscalingMetric.RequestDuration && value == 0;

    public static string Name(AutoscalingMetric metric) => metric switch
    {
        AutoscalingMetric.Cpu => "cpu",
        AutoscalingMetric.Memory => "memory",
        _ => "requestDuration",
    };

    public static string Format(AutoscalingMetric metric, double value) => metric == AutoscalingMetric.RequestDuration
        ? string.Create(CultureInfo.InvariantCulture, $"{value:0.###} s")
        : string.Create(CultureInfo.InvariantCulture, $"{value:0.#} %");

    private static string Seconds(TimeSpan span) => span.TotalSeconds >= 60 && span.TotalSeconds % 60 == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0} min")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.#} s");
}
