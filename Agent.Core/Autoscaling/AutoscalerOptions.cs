namespace GradientNode.Core.Autoscaling;

/// <summary>
/// The node's autoscaling settings. Defaults follow the Kubernetes HPA (10 % tolerance, 5-minute scale-down
/// stabilization, scale-up by at most 100 % or 4 replicas per 15 s) and Knative's panic mode (a short window
/// decides when load is at least twice the target), evaluated every 2 s instead of every 15 s.
/// </summary>
public sealed record AutoscalerOptions
{
    /// <summary>How often every autoscaled deployment is evaluated (<c>--autoscale-interval</c>).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest <see cref="Interval"/>: a day (a timer's period cannot exceed about 49 days).</summary>
    public static readonly TimeSpan MaxInterval = TimeSpan.FromDays(1);

    /// <summary>Scale-down goes to the highest recommendation of this window (<c>--scale-down-stabilization</c>).</summary>
    public TimeSpan ScaleDownStabilization { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Ratios within 1 ± this are close enough: no change.</summary>
    public double Tolerance { get; init; } = 0.1;

    /// <summary>A short-window value at least this many times the target decides alone (panic mode).</summary>
    public double PanicThreshold { get; init; } = 2.0;

    /// <summary>The short (panic) window of every metric.</summary>
    public TimeSpan PanicWindow { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The window cpu and memory utilisation are averaged over (requestDuration uses the proxy's 5 minutes).</summary>
    public TimeSpan UsageWindow { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Scale-up adds at most <see cref="ScaleUpFactor"/>× or <see cref="ScaleUpStep"/> replicas (whichever is more) per this period.</summary>
    public TimeSpan ScaleUpPeriod { get; init; } = TimeSpan.FromSeconds(15);

    public double ScaleUpFactor { get; init; } = 2.0;

    public int ScaleUpStep { get; init; } = 4;

    /// <summary>
    /// A request-duration window with fewer completed requests than this is no data (one slow request of an idle
    /// deployment must not scale it); a window with none and nothing in flight is idle (0).
    /// </summary>
    public int MinRequests { get; init; } = 5;

    /// <summary>Proxy figures older than this are not used (the proxy is down or stuck).</summary>
    public TimeSpan TrafficMaxAge { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Problems, one per setting, for the command line to report.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Interval <= TimeSpan.Zero || Interval > MaxInterval)
        {
            errors.Add("autoscale interval must be positive and at most a day");
        }

        if (ScaleDownStabilization < TimeSpan.Zero)
        {
            errors.Add("scale-down stabilization must not be negative");
        }

        return errors;
    }
}
